import NIOCore
import NIOTLS

/// Completes a promise when the TLS handshake of a connection upgraded in-band completes, and fails it when the
/// handshake fails, the connection closes first, or `timeoutMilliseconds` pass. Placed after the TLS handler; any
/// application data the server sends is dropped (the upgrade only reads the certificate).
final class TLSHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// Why the handshake did not complete.
    enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case timedOut
        case closed
        case error(String)

        var description: String {
            switch self {
            case .timedOut: "no TLS handshake within the timeout"
            case .closed: "the peer closed the connection during the TLS handshake"
            case .error(let text): "TLS handshake: \(text)"
            }
        }
    }

    private let promise: EventLoopPromise<Void>
    private let timeoutMilliseconds: Int
    private var timeout: Scheduled<Void>?
    private var settled = false

    init(promise: EventLoopPromise<Void>, timeoutMilliseconds: Int) {
        self.promise = promise
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timeout = context.eventLoop.assumeIsolated().scheduleTask(
            in: .milliseconds(Int64(timeoutMilliseconds))
        ) { [self] in
            settle(.failure(Failure.timedOut))
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        settle(.failure(Failure.closed))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func channelInactive(context: ChannelHandlerContext) {
        settle(.failure(Failure.closed))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        settle(.failure(Failure.error(String(describing: error))))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            settle(.success(()))
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func settle(_ result: Result<Void, any Error>) {
        guard !settled else { return }
        settled = true
        timeout?.cancel()
        timeout = nil
        promise.completeWith(result)
    }
}
