import AmapModel
import AmapSignatures
import AmapTestSupport
import NIOCore
import NIOPosix
import Testing
@testable import AmapEngine

/// UDP probes run side by side, each from its own socket, and end at their first answer plus a short grace; and
/// nmap's echo verdict.
@Suite struct ParallelUDPTests {
    private static let udpProbes = (1...20).map { TestProbes.probe("U\($0)", "UDP-PROBE-\($0)", transport: .udp) }

    private func scan(_ endpoint: Endpoint, _ configuration: ScanConfiguration, planner: FixedPlanner,
                      matcher: PatternMatcher) async -> [ScanEvent] {
        let engine = ScanEngine(configuration: configuration, planner: planner, matcher: matcher)
        var events: [ScanEvent] = []
        for await event in engine.scan([endpoint]) { events.append(event) }
        return events
    }

    @Test func portAnsweringEverythingWithRandomBytesFinishesWithinFiveSeconds() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let sources = NIOLoopBoundBox.makeBoxSendingValue(Set<Int>(), eventLoop: group.next())
        let server = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RandomReply(sources))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let started = ContinuousClock.now
        let events = await scan(Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: .udp),
                                TimingPromiseTests.defaultOptions, planner: FixedPlanner(udp: Self.udpProbes),
                                matcher: try PatternMatcher([("^NEVER", "never")]))
        let elapsed = ContinuousClock.now - started
        let result = try #require(events.compactMap { if case .finished(let r) = $0 { r } else { nil } }.first)
        #expect(result.state == .open)
        // Every probe went out, each from its own source port.
        let ports = try await group.next().submit { sources.value.count }.get()
        #expect(ports == Self.udpProbes.count)
        // The bound: one such port cost 66 s when probes went one at a time and waited out their waits.
        #expect(elapsed <= .seconds(5), "took \(elapsed)")
        try await server.close()
        try await group.shutdownGracefully()
    }

    @Test func echoPortIsEchoWithNmapVerdictsOverTCPAndUDP() async throws {
        let tcpServer = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandler(EchoBack())
        }
        let udpServer = try await LoopbackServers.udpEcho(group: MultiThreadedEventLoopGroup.singleton, prefix: "")
        defer {
            tcpServer.close(promise: nil)
            udpServer.close(promise: nil)
        }
        var configuration = TimingPromiseTests.defaultOptions
        configuration.nmapVerdicts = true
        let planner = FixedPlanner(tcp: [TestProbes.null, TestProbes.probe("GenericLines", "\r\n\r\n")],
                                   udp: Array(Self.udpProbes.prefix(2)))
        let matcher = try PatternMatcher([("^NEVER", "never")])
        for endpoint in [Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: tcpServer), transport: .tcp),
                         Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: udpServer), transport: .udp)] {
            let events = await scan(endpoint, configuration, planner: planner, matcher: matcher)
            let result = try #require(events.compactMap { if case .finished(let r) = $0 { r } else { nil } }.first)
            #expect(result.identifications.map(\.service) == ["echo"], "\(endpoint)")
            // The built-in database's rules: an echo of our own probe names nothing.
            var builtin = configuration
            builtin.nmapVerdicts = false
            let plain = await scan(endpoint, builtin, planner: planner, matcher: matcher)
            let plainResult = try #require(plain.compactMap { if case .finished(let r) = $0 { r } else { nil } }.first)
            #expect(plainResult.identifications.isEmpty, "\(endpoint)")
        }
    }
}

/// Answers every datagram with 32 random bytes, and notes the sender's port.
final class RandomReply: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let sources: NIOLoopBoundBox<Set<Int>>

    init(_ sources: NIOLoopBoundBox<Set<Int>>) {
        self.sources = sources
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        if let port = envelope.remoteAddress.port { sources.value.insert(port) }
        let reply = ByteBuffer(bytes: (0..<32).map { _ in UInt8.random(in: 0...255) })
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)),
                              promise: nil)
    }
}

/// Sends back whatever it reads (an echo service).
final class EchoBack: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }
}
