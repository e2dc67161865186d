import NIOCore

/// Closes the connection at once, from the head of the pipeline, when it sees `AbortConnection`.
///
/// A plain `close()` travels through `NIOSSLHandler`, which first sends close_notify and waits for the peer's; a
/// scanner has no use for an orderly TLS shutdown, and waiting for it would hold a slot. Placed before the TLS handler,
/// this handler closes the socket directly (with SO_LINGER 0 that is a reset).
final class ImmediateCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny

    /// The user outbound event that asks for the immediate close.
    struct AbortConnection: Sendable, Hashable {}

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is AbortConnection else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        context.close(mode: .all, promise: promise)
    }
}
