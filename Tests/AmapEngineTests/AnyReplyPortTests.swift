import AmapModel
import AmapSignatures
import AmapTestSupport
import NIOCore
import NIOPosix
import Testing
@testable import AmapEngine

/// A UDP probe marked `any-reply-port` takes an answer that comes from another port of the target (TFTP answers
/// from a new transfer identifier, RFC 1350); an unmarked probe's connected socket never sees it.
@Suite struct AnyReplyPortTests {
    private func result(_ probe: Probe, port: UInt16) async throws -> PortResult {
        var configuration = TimingPromiseTests.defaultOptions
        configuration.responseTimeoutMilliseconds = 1_000
        let engine = ScanEngine(configuration: configuration, planner: FixedPlanner(udp: [probe]),
                                matcher: try PatternMatcher([("^ANSWER-FROM-ELSEWHERE", "tftp")]))
        var finished: PortResult?
        for await event in engine.scan([Endpoint(host: "127.0.0.1", port: port, transport: .udp)]) {
            if case .finished(let result) = event { finished = result }
        }
        return try #require(finished)
    }

    @Test func answerFromAnotherPortIsSeenOnlyByAProbeThatAcceptsIt() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let replier = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let server = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReplyFromAnotherPort(replier: replier))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer {
            server.close(promise: nil)
            replier.close(promise: nil)
        }
        let port = LoopbackServers.port(of: server)
        #expect(LoopbackServers.port(of: replier) != port)

        var accepting = TestProbes.probe("ReadMissing", "READ", transport: .udp)
        accepting.acceptsAnyReplyPort = true
        let found = try await result(accepting, port: port)
        #expect(found.identifications.map(\.service) == ["tftp"])

        let connected = try await result(TestProbes.probe("ReadMissing", "READ", transport: .udp), port: port)
        #expect(connected.identifications.isEmpty)
        #expect(connected.state == PortState.openFiltered)
    }
}

/// Answers every datagram from a second socket bound to another port, as a TFTP server does.
final class ReplyFromAnotherPort: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let replier: any Channel

    init(replier: any Channel) {
        self.replier = replier
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let sender = unwrapInboundIn(data).remoteAddress
        let reply = AddressedEnvelope(remoteAddress: sender, data: ByteBuffer(string: "ANSWER-FROM-ELSEWHERE"))
        replier.writeAndFlush(reply, promise: nil)
    }
}
