import AmapModel
import AmapSignatures
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a connection attempt failed, reduced to what decides the port's state.
enum ConnectAttemptFailure: Error, Sendable, Hashable {
    /// The port answered with a reset (TCP) or ICMP port unreachable: `closed`.
    case refused
    /// No answer within the connect timeout: try again, then `filtered`.
    case timedOut
    /// The network or host is unreachable: `filtered`.
    case unreachable(String)
    /// A local limit (open files, ephemeral ports, buffers): not the port's fault; wait and try again.
    case localResourceExhausted(String)
    /// The TLS handshake failed or timed out.
    case tlsFailed(TLSHandshakeFailure)
    /// The address could not be used (not numeric, wrong family).
    case invalidAddress(String)
    /// Anything else.
    case other(String)
    /// The proxy could not connect to the target and said why (its reply decides the state).
    case proxyRefused(ProxyRefusal)
    /// The proxy itself failed: no port state can be known through it, and the scan stops.
    case proxyFailed(ProxyError)

    /// Classifies an error thrown by a connect.
    static func classify(_ error: any Error) -> ConnectAttemptFailure {
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .timedOut
        }
        if let ioError = error as? IOError {
            return classify(errno: ioError.errnoCode, description: String(describing: ioError))
        }
        if let addressError = error as? SocketAddressError {
            return .invalidAddress(String(describing: addressError))
        }
        return .other(String(describing: error))
    }

    /// Classifies a failed system call's errno.
    static func classify(errno code: Int32, description: String) -> ConnectAttemptFailure {
        switch code {
        case ECONNREFUSED:
            return .refused
        case ETIMEDOUT:
            return .timedOut
        case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN:
            return .unreachable(description)
        case EMFILE, ENFILE, ENOBUFS, ENOMEM, EADDRNOTAVAIL, EAGAIN:
            return .localResourceExhausted(description)
        default:
            return .other(description)
        }
    }

    /// The port state this failure implies when it is final. A local limit says nothing about the port: `unknown`.
    var portState: PortState {
        switch self {
        case .refused: .closed
        case .proxyRefused(let refusal): refusal.state
        case .localResourceExhausted: .unknown
        default: .filtered
        }
    }

    /// How the scan ended when this failure ended it.
    var status: ScanStatus {
        switch self {
        case .refused: .connectionRefused
        case .timedOut: .connectionTimeout
        case .unreachable, .invalidAddress, .other: .unknownError
        case .localResourceExhausted: .localResourceError
        case .tlsFailed(let failure): failure.status
        // The proxy answered for the port: refused is the port's refusal, anything else (unreachable, TTL,
        // not allowed) has no better word.
        case .proxyRefused(let refusal): refusal.state == .closed ? .connectionRefused : .unknownError
        case .proxyFailed: .unknownError
        }
    }

    /// A short text for `PortResult.note` and warnings.
    var note: String {
        switch self {
        case .refused: "connection refused"
        case .timedOut: "connect timeout"
        case .unreachable(let text): "unreachable: \(text)"
        case .localResourceExhausted(let text): "local resources exhausted (too many open files?): \(text)"
        case .tlsFailed(let failure): failure.note
        case .invalidAddress(let text): "invalid address: \(text)"
        case .other(let text): text
        case .proxyRefused(let refusal): refusal.note
        case .proxyFailed(let error): error.description
        }
    }
}
