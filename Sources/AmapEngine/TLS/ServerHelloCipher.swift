/// The cipher suite a server chose, read from its ServerHello: the one handshake message that is in the clear in
/// every TLS version (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3), since NIOSSL does not expose the negotiated suite.
enum ServerHelloCipher {
    /// TLS content type `handshake` and handshake type `server_hello`.
    static let handshakeRecord: UInt8 = 0x16
    static let serverHello: UInt8 = 0x02
    /// The most bytes read while looking for the ServerHello (a record is at most 16 KiB + 256, RFC 8446 §5.2).
    static let searchLimit = 16_384 + 256 + 5

    /// The suite in the ServerHello at the start of `bytes` (the server's first bytes), nil while incomplete or
    /// when the bytes are not a TLS handshake record holding a ServerHello.
    static func suite(in bytes: [UInt8]) -> UInt16? {
        // Record header: type, version (2), length (2); then the handshake header: type, length (3).
        guard bytes.count >= 9, bytes[0] == handshakeRecord, bytes[1] == 0x03, bytes[5] == serverHello else {
            return nil
        }
        let recordEnd = 5 + (Int(bytes[3]) << 8 | Int(bytes[4]))
        // legacy_version (2) and random (32) follow the handshake header, then the session id with its length.
        let sessionIDLength = 9 + 2 + 32
        guard recordEnd <= bytes.count, sessionIDLength < recordEnd else { return nil }
        let suite = sessionIDLength + 1 + Int(bytes[sessionIDLength])
        guard suite + 2 <= recordEnd else { return nil }
        return UInt16(bytes[suite]) << 8 | UInt16(bytes[suite + 1])
    }

    /// True once `bytes` can no longer hold a ServerHello to read (not a handshake record, or past the search limit).
    static func hopeless(_ bytes: [UInt8]) -> Bool {
        if bytes.count >= searchLimit { return true }
        if let first = bytes.first, first != handshakeRecord { return true }
        return bytes.count >= 6 && bytes[5] != serverHello
    }

    /// The IANA name of `suite` (the TLS Cipher Suites registry), or `0xC02F`-style hex for one not listed here.
    static func name(of suite: UInt16) -> String {
        if let name = names[suite] { return name }
        let hex = String(suite, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// The suites a server may pick for a client offering NIOSSL's (BoringSSL's) defaults, with the IANA names.
    private static let names: [UInt16: String] = [
        0x1301: "TLS_AES_128_GCM_SHA256",
        0x1302: "TLS_AES_256_GCM_SHA384",
        0x1303: "TLS_CHACHA20_POLY1305_SHA256",
        0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        0xC00A: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009D: "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x000A: "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    ]
}
