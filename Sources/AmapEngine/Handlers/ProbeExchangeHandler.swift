import NIOCore
import NIOTLS

/// The protocol logic of one TCP (or TLS) connection: send a probe's payload, pass the answer on up to a byte cap,
/// and report every read, the deadline, errors and the close as `ExchangeEvent`s.
///
/// Each read is reported with only its new bytes; the reader keeps the answer. Once an exchange has delivered its
/// cap the handler stops asking the socket for more (it holds back the `read` that auto-read sends down the
/// pipeline) until the next exchange begins: a flood then waits in the kernel's buffers, not in this process.
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

    /// Where the connection is.
    private enum State {
        /// Not active yet.
        case idle
        /// Active, waiting for the TLS handshake; exchanges wait too.
        case handshaking
        /// Active and ready: exchanges run.
        case ready
        /// Closed by the peer or by us; the reader was told.
        case closed
    }

    /// The exchange in progress. Number 0 is the time before the first exchange begins: what a peer sends then is a
    /// banner, and it counts towards the first exchange's cap.
    private struct Exchange {
        var number = 0
        /// Bytes passed on to the reader.
        var delivered = 0
        /// True once `delivered` reached the cap: nothing more is read for this exchange.
        var capReached = false
    }

    private let byteCap: Int
    private let sink: ExchangeEventSink
    private let start: Start
    private var state = State.idle
    private var exchange = Exchange()
    /// The next exchange to begin once the connection is ready.
    private var pending: BeginExchange?
    /// True while a `read` is held back because the current exchange has its cap.
    private var readWithheld = false
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
        sink.finish()
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state != .closed {
            state = .closed
            cancelTimers()
            sink.yield(.closed(exchange: exchange.number))
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard !exchange.capReached, buffer.readableBytes > 0 else { return }
        let take = min(byteCap - exchange.delivered, buffer.readableBytes)
        let chunk = buffer.getBytes(at: buffer.readerIndex, length: take) ?? []
        exchange.delivered += chunk.count
        if exchange.delivered >= byteCap {
            exchange.capReached = true
            deadline?.cancel()
        }
        sink.yield(.received(exchange: exchange.number, bytes: chunk, capReached: exchange.capReached))
    }

    func read(context: ChannelHandlerContext) {
        // Back-pressure: an exchange that has its cap reads nothing more; the next exchange asks again.
        guard !exchange.capReached else {
            readWithheld = true
            return
        }
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The last handler: the reader decides what an error means, so nothing is forwarded to the tail.
        sink.yield(.failed(exchange: exchange.number, ExchangeError(error)))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if state == .handshaking, let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            handshakeDeadline?.cancel()
            handshakeDeadline = nil
            state = .ready
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
        beginPending(context: context)
        promise?.succeed(())
    }

    private func activate(context: ChannelHandlerContext) {
        guard state == .idle else { return }
        switch start {
        case .onActive:
            state = .ready
            beginPending(context: context)
        case .afterTLSHandshake(let timeout):
            state = .handshaking
            handshakeDeadline = context.eventLoop.assumeIsolated().scheduleTask(
                in: .milliseconds(Int64(timeout))
            ) { [self] in
                guard state == .handshaking else { return }
                sink.yield(.tlsHandshakeTimedOut)
            }
        }
    }

    /// Begins the pending exchange if the connection is ready for it.
    private func beginPending(context: ChannelHandlerContext) {
        guard state == .ready, let request = pending else { return }
        pending = nil
        // Bytes that came before the first exchange began were sent unprompted (a banner): they belong to it, and the
        // reader takes them as its answer (exchange 0's chunks), so they count against its cap and are not sent again.
        exchange = exchange.number == 0 ? Exchange(number: 1, delivered: exchange.delivered,
                                                    capReached: exchange.capReached)
                                         : Exchange(number: exchange.number + 1)
        deadline?.cancel()
        let current = exchange.number
        deadline = context.eventLoop.assumeIsolated().scheduleTask(
            in: .milliseconds(Int64(request.waitMilliseconds))
        ) { [self] in
            guard current == exchange.number, state != .closed else { return }
            sink.yield(.deadlineReached(exchange: current))
        }
        if readWithheld && !exchange.capReached {
            readWithheld = false
            context.read()
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
