import NIOCore
import NIOTLS

/// The protocol logic of one TCP (or TLS) connection: send a probe's payload, collect the answer up to a byte cap,
/// and report every read, the deadline, errors and the close as `ExchangeEvent`s.
///
/// The first exchange starts when the channel becomes active (or, inside TLS, when the handshake completes); later
/// exchanges on the same connection start with a `BeginExchange` user outbound event. The handler never interprets
/// the bytes: the reader matches them.
final class ProbeExchangeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// When the first exchange may begin.
    enum Start: Sendable, Hashable {
        /// As soon as the connection is up.
        case onActive
        /// Once the TLS handshake completes; the handshake fails after `timeoutMilliseconds`.
        case afterTLSHandshake(timeoutMilliseconds: Int)
    }

    private let byteCap: Int
    private let sink: ExchangeEventSink
    private let start: Start
    private var pending: BeginExchange?
    private var activated = false
    private var ready = false
    private var isClosed = false
    private var finished = false
    private var exchange = 0
    private var bytes: [UInt8] = []
    private var capReached = false
    private var deadline: Scheduled<Void>?
    private var handshakeDeadline: Scheduled<Void>?

    /// Creates a handler that begins `first` as soon as it can.
    init(first: BeginExchange?, start: Start = .onActive, byteCap: Int, sink: ExchangeEventSink) {
        self.pending = first
        self.start = start
        self.byteCap = max(1, byteCap)
        self.sink = sink
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { activate(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        if !finished {
            finished = true
            sink.finish()
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !isClosed {
            isClosed = true
            cancelTimers()
            sink.yield(.closed(exchange: exchange))
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard !capReached, buffer.readableBytes > 0 else { return }
        let room = byteCap - bytes.count
        let take = min(room, buffer.readableBytes)
        if let slice = buffer.getBytes(at: buffer.readerIndex, length: take) {
            bytes.append(contentsOf: slice)
        }
        if bytes.count >= byteCap {
            capReached = true
            deadline?.cancel()
        }
        sink.yield(.received(exchange: exchange, bytes: bytes, capReached: capReached))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The last handler: the reader decides what an error means, so nothing is forwarded to the tail.
        sink.yield(.failed(exchange: exchange, ConnectionFailure(error)))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent, !ready {
            handshakeDeadline?.cancel()
            handshakeDeadline = nil
            ready = true
            sink.yield(.tlsHandshakeCompleted)
            beginPending(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let request = event as? BeginExchange else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        pending = request
        if ready { beginPending(context: context) }
        promise?.succeed(())
    }

    private func activate(context: ChannelHandlerContext) {
        guard !activated else { return }
        activated = true
        switch start {
        case .onActive:
            ready = true
            beginPending(context: context)
        case .afterTLSHandshake(let timeout):
            handshakeDeadline = context.eventLoop.assumeIsolated().scheduleTask(
                in: .milliseconds(Int64(timeout))
            ) { [self] in
                guard !ready, !isClosed else { return }
                sink.yield(.tlsHandshakeTimedOut)
            }
        }
    }

    private func beginPending(context: ChannelHandlerContext) {
        guard let request = pending, !isClosed else { return }
        pending = nil
        // Bytes that came before the first exchange began were sent unprompted (a banner): they belong to it.
        if exchange > 0 {
            bytes = []
            capReached = false
        }
        exchange += 1
        deadline?.cancel()
        let current = exchange
        deadline = context.eventLoop.assumeIsolated().scheduleTask(
            in: .milliseconds(Int64(request.waitMilliseconds))
        ) { [self] in
            guard current == exchange, !isClosed else { return }
            sink.yield(.deadlineReached(exchange: current))
        }
        if !bytes.isEmpty {
            sink.yield(.received(exchange: current, bytes: bytes, capReached: capReached))
        }
        if !request.payload.isEmpty {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: request.payload)), promise: nil)
        }
    }

    private func cancelTimers() {
        deadline?.cancel()
        deadline = nil
        handshakeDeadline?.cancel()
        handshakeDeadline = nil
    }
}
