/// The binary messages of the LDAP, PostgreSQL and MySQL upgrades: what the client sends, and the parts of the
/// server's answer the dialogue decides on.
enum BinaryUpgradeMessages {
    // MARK: LDAP (RFC 4511)

    /// The StartTLS extended operation's name (RFC 4511 §4.14.1).
    static let ldapStartTLSOID = Array("1.3.6.1.4.1.1466.20037".utf8)

    /// `LDAPMessage { messageID 1, ExtendedRequest { requestName [0] 1.3.6.1.4.1.1466.20037 } }` in BER.
    static var ldapStartTLSRequest: [UInt8] {
        let name: [UInt8] = [0x80, UInt8(ldapStartTLSOID.count)] + ldapStartTLSOID
        let request: [UInt8] = [0x77, UInt8(name.count)] + name  // [APPLICATION 23], constructed
        let body: [UInt8] = [0x02, 0x01, 0x01] + request  // messageID INTEGER 1
        return [0x30, UInt8(body.count)] + body
    }

    /// A BER element's tag, content range and end, read at `offset`; nil while incomplete or when not BER.
    static func berElement(_ bytes: [UInt8], at offset: Int) -> (tag: UInt8, content: Range<Int>)? {
        guard offset + 2 <= bytes.count else { return nil }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        var start = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            // A length of more than 4 bytes (or the indefinite form) is not what an LDAP server sends.
            guard count >= 1, count <= 4, start + count <= bytes.count else { return nil }
            length = bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard start + length <= bytes.count else { return nil }
        return (tag, start..<start + length)
    }

    /// The LDAP `ExtendedResponse`'s result code and diagnostic message, from a complete `LDAPMessage`; nil when the
    /// message is incomplete or not an ExtendedResponse.
    static func ldapExtendedResult(_ bytes: [UInt8]) -> (code: Int, diagnostic: String)? {
        guard let message = berElement(bytes, at: 0), message.tag == 0x30,
            let messageID = berElement(bytes, at: message.content.lowerBound), messageID.tag == 0x02,
            let response = berElement(bytes, at: messageID.content.upperBound),
            response.tag == 0x78,  // [APPLICATION 24] ExtendedResponse
            let result = berElement(bytes, at: response.content.lowerBound), result.tag == 0x0A,
            !result.content.isEmpty
        else { return nil }
        let code = bytes[result.content].reduce(0) { $0 << 8 | Int($1) }
        var diagnostic = ""
        if let matched = berElement(bytes, at: result.content.upperBound), matched.tag == 0x04,
            let text = berElement(bytes, at: matched.content.upperBound), text.tag == 0x04
        {
            diagnostic = String(decoding: bytes[text.content], as: UTF8.self)
        }
        return (code, diagnostic)
    }

    /// True once `bytes` hold one whole BER element (an LDAP message).
    static func ldapMessageComplete(_ bytes: [UInt8]) -> Bool {
        guard let element = berElement(bytes, at: 0) else {
            // Not BER at all (a first byte that cannot start a SEQUENCE): complete, so the dialogue can refuse it.
            return !bytes.isEmpty && bytes[0] != 0x30
        }
        return element.content.upperBound <= bytes.count
    }

    // MARK: PostgreSQL

    /// The `SSLRequest` code, 1234 in the high 16 bits and 5679 in the low 16 bits (PostgreSQL protocol docs).
    static let postgresSSLRequestCode: UInt32 = 80_877_103

    /// `SSLRequest`: an 8-byte message, its length then the request code, both big-endian.
    static var postgresSSLRequest: [UInt8] {
        bigEndian(8) + bigEndian(postgresSSLRequestCode)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    // MARK: MySQL / MariaDB

    /// `CLIENT_SSL` in the capability flags (MySQL client/server protocol, "Capabilities Flags").
    static let mysqlClientSSL: UInt32 = 0x0800
    /// The flags the SSL request announces: long password, protocol 4.1, SSL, secure connection.
    static let mysqlRequestFlags: UInt32 = 0x0001 | 0x0200 | mysqlClientSSL | 0x8000
    /// The largest packet the client says it accepts (16 MiB, what the stock client sends).
    static let mysqlMaximumPacket: UInt32 = 16_777_216
    /// utf8_general_ci.
    static let mysqlCharacterSet: UInt8 = 33

    /// A whole packet's payload and sequence number, once its 4-byte header and payload have arrived.
    static func mysqlPacket(_ bytes: [UInt8]) -> (sequence: UInt8, payload: ArraySlice<UInt8>)? {
        guard bytes.count >= 4 else { return nil }
        let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        guard bytes.count >= 4 + length else { return nil }
        return (bytes[3], bytes[4..<4 + length])
    }

    /// What a server greeting says: the capability flags of a protocol-10 handshake, or the message of an error
    /// packet; nil when the payload is neither.
    enum MySQLGreeting: Equatable {
        case handshake(capabilities: UInt32)
        case error(String)
    }

    static func mysqlGreeting(_ payload: ArraySlice<UInt8>) -> MySQLGreeting? {
        guard let first = payload.first else { return nil }
        if first == 0xFF {
            // 0xFF, a 2-byte error code, then the message (no SQL state before the handshake).
            let message = payload.dropFirst(3)
            return .error(String(decoding: message, as: UTF8.self))
        }
        guard first == 10, let versionEnd = payload.dropFirst().firstIndex(of: 0) else { return nil }
        // After the version: thread id (4), scramble part 1 (8), a filler (1), then the lower capability flags (2).
        let flags = versionEnd + 1 + 4 + 8 + 1
        guard flags + 2 <= payload.endIndex else { return nil }
        var capabilities = UInt32(payload[flags]) | UInt32(payload[flags + 1]) << 8
        // Then the character set (1), status (2) and the upper capability flags (2), when present.
        let upper = flags + 2 + 1 + 2
        if upper + 2 <= payload.endIndex {
            capabilities |= (UInt32(payload[upper]) | UInt32(payload[upper + 1]) << 8) << 16
        }
        return .handshake(capabilities: capabilities)
    }

    /// The SSL request: a handshake response cut short after the character set (32 bytes of payload), which asks the
    /// server to start TLS before anything else (MySQL protocol, "SSLRequest").
    static func mysqlSSLRequest(sequence: UInt8) -> [UInt8] {
        var payload = littleEndian(mysqlRequestFlags) + littleEndian(mysqlMaximumPacket) + [mysqlCharacterSet]
        payload += [UInt8](repeating: 0, count: 23)
        return [UInt8(payload.count), 0, 0, sequence] + payload
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}
