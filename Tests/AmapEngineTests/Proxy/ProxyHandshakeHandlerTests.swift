import NIOCore
import NIOEmbedded
import Testing
@testable import AmapEngine

@Suite("ProxyHandshakeHandler on an EmbeddedChannel")
struct ProxyHandshakeHandlerTests {
    /// Records what the handlers after the proxy handler see.
    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var activeCount = 0
        var read: [UInt8] = []

        func channelActive(context: ChannelHandlerContext) {
            activeCount += 1
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            read += buffer.readBytes(length: buffer.readableBytes) ?? []
        }
    }

    struct Rig {
        let channel: EmbeddedChannel
        let recorder: Recorder
        let outcome: EventLoopFuture<ProxyHandshakeHandler.Outcome>

        init(_ machine: any ProxyHandshake, timeout: TimeAmount = .seconds(5)) throws {
            channel = EmbeddedChannel()
            recorder = Recorder()
            let promise = channel.eventLoop.makePromise(of: ProxyHandshakeHandler.Outcome.self)
            outcome = promise.futureResult
            try channel.pipeline.syncOperations.addHandler(
                ProxyHandshakeHandler(machine: machine, timeout: timeout, outcome: promise))
            try channel.pipeline.syncOperations.addHandler(recorder)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1080)).wait()
        }

        func sent() throws -> [UInt8] {
            guard var buffer = try channel.readOutbound(as: ByteBuffer.self) else { return [] }
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        }

        /// The failure the outcome holds, nil when it succeeded or is pending.
        func failure() -> ProxyHandshakeHandler.Failure? {
            var result: ProxyHandshakeHandler.Failure?
            outcome.whenFailure { result = $0 as? ProxyHandshakeHandler.Failure }
            return result
        }
    }

    static func socks() -> SOCKS5Handshake {
        SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 22, credentials: nil)
    }

    @Test("the handlers after it see the connection only once the tunnel is up, with the bytes behind the reply")
    func holdsBackActiveUntilTheTunnel() throws {
        let rig = try Rig(Self.socks())
        #expect(try rig.sent() == [5, 1, 0])
        #expect(rig.recorder.activeCount == 0)
        try rig.channel.writeInbound(ByteBuffer(bytes: [5, 0]))
        #expect(try rig.sent() == [5, 1, 0, 1, 127, 0, 0, 1, 0, 22])
        #expect(rig.recorder.activeCount == 0)
        try rig.channel.writeInbound(ByteBuffer(bytes: [5, 0, 0, 1, 127, 0, 0, 1, 0, 9] + Array("SSH-2.0".utf8)))
        #expect(rig.recorder.activeCount == 1)
        #expect(rig.recorder.read == Array("SSH-2.0".utf8))
        var tunnelled = false
        rig.outcome.whenSuccess { if case .tunnel = $0 { tunnelled = true } }
        #expect(tunnelled)
        // It left the pipeline: later bytes go straight to the handlers after it.
        #expect(throws: (any Error).self) {
            try rig.channel.pipeline.syncOperations.handler(type: ProxyHandshakeHandler.self)
        }
        try rig.channel.writeInbound(ByteBuffer(string: "-x"))
        #expect(rig.recorder.read == Array("SSH-2.0-x".utf8))
        _ = try? rig.channel.finish()
    }

    @Test("a refusal fails the outcome with the port's verdict and closes the connection")
    func refusal() throws {
        let rig = try Rig(Self.socks())
        _ = try rig.sent()
        try rig.channel.writeInbound(ByteBuffer(bytes: [5, 0]))
        try rig.channel.writeInbound(ByteBuffer(bytes: [5, 5]))
        guard case .refused(let refusal) = rig.failure() else {
            Issue.record("no refusal")
            return
        }
        #expect(refusal.state == .closed)
        #expect(!rig.channel.isActive)
        #expect(rig.recorder.activeCount == 0)
    }

    @Test("a close during the greeting fails the proxy; after the CONNECT request, the attempt")
    func closes() throws {
        let early = try Rig(Self.socks())
        early.channel.pipeline.fireChannelInactive()
        guard case .proxy(.closed(let step)) = early.failure() else {
            Issue.record("a close during the greeting not a proxy failure")
            return
        }
        #expect(step.contains("greeting"))

        let late = try Rig(Self.socks())
        try late.channel.writeInbound(ByteBuffer(bytes: [5, 0]))
        late.channel.pipeline.fireChannelInactive()
        guard case .closedAwaitingTarget = late.failure() else {
            Issue.record("a close after CONNECT not an attempt failure")
            return
        }
    }

    @Test("silence: a proxy that does not greet fails; a CONNECT without reply is the target's timeout")
    func timeouts() throws {
        let silent = try Rig(Self.socks(), timeout: .milliseconds(100))
        silent.channel.embeddedEventLoop.advanceTime(by: .milliseconds(101))
        guard case .proxy(.silent) = silent.failure() else {
            Issue.record("a silent proxy not failed")
            return
        }
        let slow = try Rig(Self.socks(), timeout: .milliseconds(100))
        slow.channel.embeddedEventLoop.advanceTime(by: .milliseconds(60))
        try slow.channel.writeInbound(ByteBuffer(bytes: [5, 0]))
        // Each step has its own timeout: the greeting's answer came in time, the CONNECT's clock starts now.
        slow.channel.embeddedEventLoop.advanceTime(by: .milliseconds(60))
        #expect(slow.failure() == nil)
        slow.channel.embeddedEventLoop.advanceTime(by: .milliseconds(41))
        #expect(slow.failure() == .targetTimedOut)
    }
}
