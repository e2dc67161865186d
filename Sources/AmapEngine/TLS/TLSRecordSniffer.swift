/// Recognises the start of a TLS record, the only thing the engine reads in a response itself.
///
/// A TLS record starts with a content type, then the record-layer version 3.x (RFC 8446 §5.1, RFC 5246 §6.2.1).
/// A server that expects a ClientHello answers a plain-text probe with an alert (type 21); one that was sent a
/// ClientHello-like probe answers with a handshake (type 22).
public enum TLSRecordSniffer {
    /// TLS content type `alert` (RFC 8446 §5.1).
    static let alertContentType: UInt8 = 0x15
    /// TLS content type `handshake` (RFC 8446 §5.1).
    static let handshakeContentType: UInt8 = 0x16
    /// The major record-layer version of SSL 3.0 and every TLS version.
    static let majorVersion: UInt8 = 0x03
    /// The highest minor version seen on the wire: 0x04 would be a record-layer TLS 1.3 (RFC 8446 always writes
    /// 0x0301 or 0x0303, but middleboxes vary; anything above is not TLS).
    static let highestMinorVersion: UInt8 = 0x04

    /// Handshake message type `client_hello` (RFC 8446 §4): what we send, so what an echo service returns.
    static let clientHelloMessageType: UInt8 = 0x01

    /// True when `bytes` start like a server's TLS record: an alert (`15 03 0X`), or a handshake (`16 03 0X`, X ≤ 4)
    /// whose first message is not a ClientHello (an echo of our own probe is not a TLS server).
    public static func looksLikeTLS<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var iterator = bytes.makeIterator()
        guard let type = iterator.next(), let major = iterator.next(), let minor = iterator.next() else {
            return false
        }
        guard major == majorVersion, minor <= highestMinorVersion else { return false }
        if type == alertContentType { return true }
        guard type == handshakeContentType else { return false }
        // Skip the two length bytes; the handshake message type follows.
        guard iterator.next() != nil, iterator.next() != nil, let message = iterator.next() else { return false }
        return message != clientHelloMessageType
    }
}
