import NIOCore

/// What a connection handler reports about the probe exchange in progress.
///
/// Exchanges on one connection are numbered from 1 in the order they begin, so a reader can drop the late events
/// of an exchange it has already moved past.
enum ExchangeEvent: Sendable, Hashable {
    /// Bytes arrived: only the bytes new since the exchange's last `.received` (the reader concatenates them; all of
    /// an exchange's chunks together are at most the byte cap), and whether the cap is now reached (no more bytes
    /// will be read for this exchange).
    case received(exchange: Int, bytes: [UInt8], capReached: Bool)
    /// The exchange's wait ran out.
    case deadlineReached(exchange: Int)
    /// A TLS handshake completed (the first exchange starts now).
    case tlsHandshakeCompleted
    /// The TLS handshake did not complete within its timeout.
    case tlsHandshakeTimedOut
    /// The peer refused a datagram (ICMP port unreachable, read as ECONNREFUSED).
    case refused(exchange: Int)
    /// An error was caught on the connection (reset, TLS failure); a close usually follows.
    case failed(exchange: Int, ExchangeError)
    /// The connection closed (EOF, reset or our own close).
    case closed(exchange: Int)
}

/// An error seen on a connection, reduced to what the engine decides on.
struct ExchangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errno, when the error was a system call's.
    var errno: Int32?
    /// A readable description.
    var description: String
    /// What failed in a TLS handshake, when the error came from the TLS handler.
    var tls: TLSHandshakeFailure?

    init(_ error: any Error) {
        tls = TLSHandshakeFailure(error)
        if let ioError = error as? IOError {
            errno = ioError.errnoCode
        } else {
            errno = nil
        }
        description = String(describing: error)
    }

    /// Why a handshake ended with this error: the TLS failure it carries, else a system error's closing of the
    /// connection (a reset during the handshake).
    var handshakeFailure: TLSHandshakeFailure {
        tls ?? (errno != nil ? .peerClosed : .other)
    }
}

/// Starts an exchange on a connection: send `payload` (nothing for the NULL probe) and wait up to
/// `waitMilliseconds` for the answer. Sent down the pipeline as a user outbound event.
struct BeginExchange: Sendable, Hashable {
    /// The bytes to send.
    var payload: [UInt8]
    /// How long to wait for the answer.
    var waitMilliseconds: Int
}
