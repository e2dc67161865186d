import AmapModel
import NIOSSL

/// Why a TLS handshake did not complete, in terms a user can act on: the peer's alert, a local refusal
/// (no shared version or cipher), a silent peer. Never an error dump: BoringSSL's messages carry the build
/// machine's source paths.
enum TLSHandshakeFailure: Sendable, Hashable {
    /// No handshake within the handshake timeout.
    case timedOut
    /// The peer sent this TLS alert (RFC 8446 §6, RFC 5246 §7.2).
    case peerAlert(UInt8)
    /// BoringSSL refused the peer's answer for this reason (its `SSL_R_…` code).
    case localRefusal(reason: UInt32)
    /// The peer closed the connection before the handshake ended.
    case peerClosed
    /// A failure without a better name (an error NIOSSL reports without a BoringSSL reason).
    case other
    /// No TLS client context could be made on this machine.
    case noContext

    /// The failure an error from the TLS handler stands for, or nil when it is not a TLS error.
    init?(_ error: any Error) {
        guard let error = error as? NIOSSLError else { return nil }
        switch error {
        case .handshakeFailed(let boring):
            self = Self(boring)
        case .uncleanShutdown:
            self = .peerClosed
        default:
            self = .other
        }
    }

    private init(_ error: BoringSSLError) {
        switch error {
        case .sslError(let stack), .unknownError(let stack):
            // The packed code is private in NIOSSL; its description starts with it in decimal ("Error: 268436496 …").
            guard let code = stack.lazy.compactMap(Self.packedCode).first else {
                self = .other
                return
            }
            let reason = code & Self.reasonMask
            if reason >= Self.alertReasonOffset, reason - Self.alertReasonOffset <= UInt32(UInt8.max) {
                self = .peerAlert(UInt8(reason - Self.alertReasonOffset))
            } else {
                self = .localRefusal(reason: reason)
            }
        case .zeroReturn, .syscallError:
            self = .peerClosed
        default:
            self = .other
        }
    }

    /// BoringSSL packs `lib << 24 | reason` (`ERR_PACK`); the low 12 bits are the reason.
    private static let reasonMask: UInt32 = 0xFFF
    /// BoringSSL's `SSL_AD_REASON_OFFSET`: reason 1000 + n is "the peer sent alert n".
    private static let alertReasonOffset: UInt32 = 1000

    private static func packedCode(_ error: BoringSSLInternalError) -> UInt32? {
        let text = error.description
        guard text.hasPrefix("Error: ") else { return nil }
        return UInt32(text.dropFirst("Error: ".count).prefix { $0.isNumber })
    }

    /// What the scan's status is when the TLS pass ended this way.
    var status: ScanStatus {
        switch self {
        case .timedOut: .ioTimeout
        case .peerAlert, .localRefusal, .peerClosed: .protocolError
        case .other: .unknownError
        case .noContext: .localResourceError
        }
    }

    /// One sentence without error values or paths.
    var note: String {
        switch self {
        case .timedOut:
            return "TLS handshake failed: no answer to the ClientHello within the handshake timeout"
        case .peerAlert(let alert):
            let name = Self.alertNames[alert].map { "\($0) (\(alert))" } ?? "number \(alert)"
            var text = "TLS handshake failed: the server sent alert \(name)"
            if alert == Self.handshakeFailureAlert {
                text += "; it shares no protocol version or cipher suite with amap, or accepts only anonymous ciphers"
            } else if alert == Self.protocolVersionAlert {
                text += "; it supports none of the TLS versions amap offers"
            }
            return text
        case .localRefusal(let reason):
            return "TLS handshake failed: " + (Self.refusalWords[reason] ?? "amap refused the server's answer")
        case .peerClosed:
            return "TLS handshake failed: the server closed the connection during the handshake"
        case .other:
            return "TLS handshake failed"
        case .noContext:
            return "TLS handshake not tried: no TLS client context could be created"
        }
    }

    private static let handshakeFailureAlert: UInt8 = 40
    private static let protocolVersionAlert: UInt8 = 70

    /// The TLS alert registry's names (IANA "TLS Alerts"; RFC 8446 §6, RFC 5246 §7.2).
    private static let alertNames: [UInt8: String] = [
        0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed",
        22: "record_overflow", 40: "handshake_failure", 41: "no_certificate", 42: "bad_certificate",
        43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
        46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied",
        50: "decode_error", 51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security",
        80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled", 109: "missing_extension",
        110: "unsupported_extension", 112: "unrecognized_name", 113: "bad_certificate_status_response",
        115: "unknown_psk_identity", 116: "certificate_required", 120: "no_application_protocol",
    ]

    /// BoringSSL's `SSL_R_…` reasons (include/openssl/ssl.h) that a client meets, in plain words.
    private static let refusalWords: [UInt32: String] = [
        112: "the server's record had a bad length",
        137: "the server's handshake message could not be decoded",
        156: "the server spoke plain HTTP, not TLS",
        155: "the server spoke an HTTP proxy request, not TLS",
        175: "no cipher suite amap offers is available",
        184: "the server shares no cipher suite with amap",
        200: "the server's record was too large for TLS",
        223: "the server sent a handshake message out of order",
        225: "the server sent a record out of order",
        229: "the server chose a cipher suite amap did not offer",
        233: "the server's answer is not a TLS protocol amap knows",
        240: "the server chose a TLS version amap does not support",
        242: "the server chose a cipher suite amap did not offer",
        247: "the server's answer is not TLS (wrong version number)",
        253: "the server shares no signature algorithm with amap",
    ]
}
