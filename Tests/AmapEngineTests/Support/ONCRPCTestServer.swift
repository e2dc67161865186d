import NIOCore

/// What a loopback ONC RPC server saw: each call's program number and the connection (TCP) it came on.
struct RPCCallLog {
    var calls: [(connection: Int, program: UInt32)] = []
    var connections = 0
}

/// A minimal ONC RPC server (RFC 5531) for the RPC pass: it serves one program, answering any call to it with
/// PROG_MISMATCH (its version range) and any other program with PROG_UNAVAIL; `HELLO` (the plain pass's probe)
/// draws `RPC-SERVER`, so a test matcher can name the port `rpc`. `silent` leaves every call unanswered.
struct ONCRPCTestProgram: Sendable {
    var program: UInt32
    var low: UInt32
    var high: UInt32
    var silent = false

    /// The reply to a 40-byte call (no record mark), and the call's program.
    func reply(to call: [UInt8]) -> (reply: [UInt8], program: UInt32)? {
        guard call.count >= 24 else { return nil }
        let word = { (index: Int) -> UInt32 in
            call[index * 4 ..< index * 4 + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let xid = word(0)
        let called = word(3)
        // RFC 5531 §9: REPLY (1), MSG_ACCEPTED (0), AUTH_NONE verifier, then accept_stat.
        var words: [UInt32] = [xid, 1, 0, 0, 0]
        words += called == program ? [2, low, high] : [1]
        return (words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }, called)
    }

    static let helloReply = Array("RPC-SERVER\r\n".utf8)
}

/// The TCP side: record marking (RFC 5531 §11), many calls per connection.
final class ONCRPCStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let log: NIOLoopBoundBox<RPCCallLog>
    private let served: ONCRPCTestProgram
    private var buffer: [UInt8] = []
    private var connection = 0

    init(_ log: NIOLoopBoundBox<RPCCallLog>, served: ONCRPCTestProgram) {
        self.log = log
        self.served = served
    }

    func channelActive(context: ChannelHandlerContext) {
        log.value.connections += 1
        connection = log.value.connections
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer += Array(buffer: unwrapInboundIn(data))
        if buffer.starts(with: Array("HELLO".utf8)) {
            buffer = []
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: ONCRPCTestProgram.helloReply)), promise: nil)
            return
        }
        while buffer.count >= 4, buffer[0] & 0x80 != 0 {
            let length = Int(buffer[1 ..< 4].reduce(0) { $0 << 8 | UInt32($1) })
            guard buffer.count >= 4 + length else { return }
            let message = Array(buffer[4 ..< 4 + length])
            buffer.removeFirst(4 + length)
            guard let answer = served.reply(to: message) else { continue }
            log.value.calls.append((connection, answer.program))
            if served.silent { continue }
            let mark = UInt32(0x8000_0000) | UInt32(answer.reply.count)
            let marked = (0..<4).map { UInt8(truncatingIfNeeded: mark >> (24 - 8 * $0)) } + answer.reply
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: marked)), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The UDP side: one call a datagram.
final class ONCRPCDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    private let log: NIOLoopBoundBox<RPCCallLog>
    private let served: ONCRPCTestProgram

    init(_ log: NIOLoopBoundBox<RPCCallLog>, served: ONCRPCTestProgram) {
        self.log = log
        self.served = served
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(buffer: envelope.data)
        let reply: [UInt8]
        if bytes.starts(with: Array("HELLO".utf8)) {
            reply = ONCRPCTestProgram.helloReply
        } else {
            guard let answer = served.reply(to: bytes) else { return }
            log.value.calls.append((0, answer.program))
            if served.silent { return }
            reply = answer.reply
        }
        context.writeAndFlush(
            wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: reply))),
            promise: nil)
    }
}
