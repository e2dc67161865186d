import AmapModel
import AmapTestSupport
import NIOCore
import NIOPosix
import Testing
@testable import AmapEngine

/// Waits adapt to the round trip through the proxy: a connection's RTT sample is the time from the tunnel request to
/// the proxy's reply, not the whole open (which adds the proxy-only greeting round).
@Suite("the RTT sample through a proxy")
struct TunnelRoundTripTests {
    /// A SOCKS5 server that answers the greeting after `greetingDelay` and the CONNECT after `connectDelay`.
    final class SlowSOCKS5: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let greetingDelay: TimeAmount
        let connectDelay: TimeAmount
        var greeted = false

        init(greetingDelay: TimeAmount, connectDelay: TimeAmount) {
            self.greetingDelay = greetingDelay
            self.connectDelay = connectDelay
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            // The client sends each message in one write and waits for the answer, so one read is one message.
            let (delay, answer): (TimeAmount, [UInt8]) = greeted
                ? (connectDelay, [5, 0, 0, 1, 127, 0, 0, 1, 0, 0]) : (greetingDelay, [5, 0])
            greeted = true
            let loop = context.eventLoop.assumeIsolated()
            loop.scheduleTask(in: delay) { [self] in
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: answer)), promise: nil)
            }
        }
    }

    @Test("the sample is the CONNECT round trip: at least its delay, without the greeting's")
    func sampleIsTheTunnelRoundTrip() async throws {
        let server = try await LoopbackServers.tcp { channel in
            try channel.pipeline.syncOperations.addHandler(
                SlowSOCKS5(greetingDelay: .milliseconds(1_000), connectDelay: .milliseconds(100)))
        }
        defer { server.close(promise: nil) }
        var configuration = ScanConfiguration(connectTimeoutMilliseconds: 10_000, connectAttempts: 1)
        let port = LoopbackServers.port(of: server)
        configuration.proxy = ProxyConfiguration(kind: .socks5, host: "127.0.0.1", port: port)
        let context = EngineContext(
            configuration: configuration, planner: FixedPlanner(), matcher: try PatternMatcher([]),
            group: MultiThreadedEventLoopGroup.singleton, tlsContext: nil, emit: { _ in })
        // The target is never contacted: the server above plays the proxy and stays silent as the target.
        let endpoint = Endpoint(host: "127.0.0.1", port: 9, transport: .tcp)
        switch await TCPProbeJobs(context: context, endpoint: endpoint).open(tls: false) {
        case .success(var session):
            await session.close()
        case .failure(let failure):
            Issue.record("no tunnel: \(failure)")
        }
        let sample = try #require(await context.timings.smoothedRTT(for: "127.0.0.1"))
        #expect(sample >= 100, "the CONNECT round trip is at least the proxy's delay")
        #expect(sample < 1_000, "the greeting round (1 s) is not part of the sample: \(sample) ms")
    }
}
