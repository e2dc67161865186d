import NIOCore

/// Runs a `ProxyHandshake` on a new connection to the proxy, and hides the connection from the handlers after it
/// until the tunnel is up: it holds back `channelActive`, so a TLS handler starts its handshake, and a probe its
/// exchange, only through the tunnel, with the target.
///
/// Once the tunnel is up it fires `channelActive`, passes on the bytes that followed the proxy's reply (the
/// target's banner) and leaves the pipeline. Every decision is the machine's; this handler only moves bytes, keeps
/// the timeout and completes `outcome`.
final class ProxyHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How a handshake that did not fail ended.
    enum Outcome: Sendable, Hashable {
        /// The tunnel is up; `roundTrip` is the time from the tunnel request to the proxy's reply: the round trip
        /// through the proxy to the target and back.
        case tunnel(roundTrip: Duration)
        /// The proxy accepted the greeting and the credentials (the up-front check).
        case authenticated
    }

    /// How a handshake failed.
    enum Failure: Error, Sendable, Hashable {
        /// The proxy answered for the target: it could not connect there.
        case refused(ProxyRefusal)
        /// The proxy itself failed.
        case proxy(ProxyError.Reason)
        /// No reply to the tunnel request within the timeout (the target is silent, or the proxy slow to reach it).
        case targetTimedOut
        /// The proxy closed or reset the connection after the tunnel request, without a reply.
        case closedAwaitingTarget(String)
    }

    private var machine: any ProxyHandshake
    private let outcome: EventLoopPromise<Outcome>
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var sentAt = NIODeadline.now()
    private var finished = false

    /// A handler that runs `machine` and completes `outcome`; the proxy has `timeout` to answer each step.
    init(machine: any ProxyHandshake, timeout: TimeAmount, outcome: EventLoopPromise<Outcome>) {
        self.machine = machine
        self.timeout = timeout
        self.outcome = outcome
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { begin(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if !finished {
            finished = true
            outcome.fail(Failure.proxy(.closed(machine.stepName)))
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        // Not passed on: for the handlers after this one, the connection becomes active when the tunnel is up.
        begin(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard finished else {
            fail(machine.isAwaitingTarget ? .closedAwaitingTarget(machine.stepName)
                    : .proxy(.closed(machine.stepName)), context: context)
            return
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else {
            context.fireChannelRead(data)
            return
        }
        let buffer = unwrapInboundIn(data)
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        perform(machine.receive(bytes), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !finished else {
            context.fireErrorCaught(error)
            return
        }
        let text = "\(machine.stepName) (\(ExchangeError(error).description))"
        fail(machine.isAwaitingTarget ? .closedAwaitingTarget(text) : .proxy(.closed(text)), context: context)
    }

    private func begin(context: ChannelHandlerContext) {
        guard !finished, timer == nil else { return }
        send(machine.opening(), context: context)
    }

    private func send(_ bytes: [UInt8], context: ChannelHandlerContext) {
        sentAt = .now()
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            guard !finished else { return }
            fail(machine.isAwaitingTarget ? .targetTimedOut : .proxy(.silent(machine.stepName)), context: context)
        }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
    }

    private func perform(_ step: ProxyHandshakeStep, context: ChannelHandlerContext) {
        switch step {
        case .needMore:
            return
        case .send(let bytes):
            send(bytes, context: context)
        case .authenticated:
            succeed(.authenticated)
        case .tunnel(let leftover):
            let roundTrip = Duration.nanoseconds((NIODeadline.now() - sentAt).nanoseconds)
            succeed(.tunnel(roundTrip: roundTrip))
            context.fireChannelActive()
            if !leftover.isEmpty { context.fireChannelRead(wrapInboundOut(ByteBuffer(bytes: leftover))) }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        case .refused(let refusal):
            fail(.refused(refusal), context: context)
        case .failed(let reason):
            fail(.proxy(reason), context: context)
        }
    }

    private func succeed(_ result: Outcome) {
        finished = true
        timer?.cancel()
        timer = nil
        outcome.succeed(result)
    }

    private func fail(_ failure: Failure, context: ChannelHandlerContext) {
        finished = true
        timer?.cancel()
        timer = nil
        outcome.fail(failure)
        context.close(promise: nil)
    }
}
