import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The protocol logic of one connected UDP socket: send a probe, send it again while no answer has come, pass the
/// answers on up to a byte cap (each read with only its new bytes), and report reads, refusals (ICMP port
/// unreachable) and the deadline.
///
/// One exchange per socket: the engine opens a fresh socket per probe so that a late answer cannot be credited to
/// the wrong probe.
///
/// With a `target`, the socket is not connected (a plan that accepts any reply port): the handler addresses each
/// datagram to the target and takes only datagrams from the target's IP address, from any port.
final class DatagramExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = ByteBuffer

    /// One UDP probe: what to send, how often, and how long to wait in total.
    struct Plan: Sendable, Hashable {
        /// The datagram to send (may be empty).
        var payload: [UInt8]
        /// How long to wait for an answer, from the first send.
        var waitMilliseconds: Int
        /// How many more times the datagram is sent while nothing has come back.
        var retransmits: Int
        /// The pause between two sends.
        var retransmitIntervalMilliseconds: Int
        /// The answer may come from another port of the target's address (TFTP): the socket is not connected.
        var acceptsAnyReplyPort = false
    }

    /// The exchange number events carry; a socket holds only one exchange.
    static let exchangeNumber = 1

    /// Where the exchange is.
    private enum State {
        /// Not sent yet (the socket is not active).
        case idle
        /// Sent, nothing back yet: the datagram is sent again at each interval while sends are left.
        case awaitingAnswer
        /// Something came back: no more sends; further datagrams are still passed on up to the cap.
        case answered
        /// The socket closed; the reader was told.
        case closed
    }

    private let plan: Plan
    private let byteCap: Int
    private let sink: ExchangeEventSink
    private let target: SocketAddress?
    private var state = State.idle
    private var sendsLeft: Int
    /// Bytes delivered so far (datagrams are passed on as they come; the reader keeps them).
    private var delivered = 0
    private var deadline: Scheduled<Void>?
    private var resend: Scheduled<Void>?

    /// Creates a handler that sends `plan` when the socket is active: to the connected peer, or to `target` on an
    /// unconnected socket.
    init(plan: Plan, byteCap: Int, sink: ExchangeEventSink, target: SocketAddress? = nil) {
        self.plan = plan
        self.target = target
        self.byteCap = max(1, byteCap)
        self.sink = sink
        self.sendsLeft = max(0, plan.retransmits)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { begin(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        sink.finish()
    }

    func channelActive(context: ChannelHandlerContext) {
        begin(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if state != .closed {
            state = .closed
            cancelTimers()
            sink.yield(.closed(exchange: Self.exchangeNumber))
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        if let target, envelope.remoteAddress.ipAddress != target.ipAddress { return }
        if state == .awaitingAnswer {
            state = .answered
            resend?.cancel()
        }
        guard delivered < byteCap else { return }
        let take = min(byteCap - delivered, envelope.data.readableBytes)
        let chunk = envelope.data.getBytes(at: envelope.data.readerIndex, length: take) ?? []
        delivered += chunk.count
        sink.yield(.received(exchange: Self.exchangeNumber, bytes: chunk, capReached: delivered >= byteCap))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let ioError = error as? IOError, ioError.errnoCode == ECONNREFUSED {
            cancelTimers()
            sink.yield(.refused(exchange: Self.exchangeNumber))
        } else {
            sink.yield(.failed(exchange: Self.exchangeNumber, ExchangeError(error)))
        }
    }

    /// Starts the exchange; the connected socket is active, or connecting made it so.
    func begin(context: ChannelHandlerContext) {
        guard state == .idle else { return }
        state = .awaitingAnswer
        deadline = context.eventLoop.assumeIsolated().scheduleTask(
            in: .milliseconds(Int64(plan.waitMilliseconds))
        ) { [self] in
            guard state != .closed else { return }
            resend?.cancel()
            sink.yield(.deadlineReached(exchange: Self.exchangeNumber))
        }
        send(context: context)
    }

    private func send(context: ChannelHandlerContext) {
        if let target {
            let envelope = AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: plan.payload))
            context.writeAndFlush(NIOAny(envelope), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: plan.payload)), promise: nil)
        }
        guard sendsLeft > 0 else { return }
        sendsLeft -= 1
        resend = context.eventLoop.assumeIsolated().scheduleTask(
            in: .milliseconds(Int64(plan.retransmitIntervalMilliseconds))
        ) { [self] in
            guard state == .awaitingAnswer else { return }
            send(context: context)
        }
    }

    private func cancelTimers() {
        deadline?.cancel()
        deadline = nil
        resend?.cancel()
        resend = nil
    }
}
