import AmapModel
import AmapSignatures
import AmapTestSupport
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing
@testable import AmapEngine

/// `-t` is a promise: an answer that comes within it, on a connection still held, is seen. These run with the
/// command line's default options (`-t 5`, automatic timing, 5 parallel probes), against in-process servers.
@Suite struct TimingPromiseTests {
    /// The configuration `amap` builds when no option is given (see `ScanRunner.configuration`).
    static var defaultOptions: ScanConfiguration {
        var configuration = ScanConfiguration(
            connectTimeoutMilliseconds: 5_000, responseTimeoutMilliseconds: 5_000, bannerWaitMilliseconds: 5_000,
            reportAllMatches: false)
        configuration.timing = .automatic
        configuration.perPortParallelism = ScanConfiguration.adaptivePerPortParallelism
        return configuration
    }

    private static let probes = [TestProbes.null, TestProbes.probe("GetRequest", "GET / HTTP/1.0\r\n\r\n"),
                                 TestProbes.probe("Help", "HELP\r\n")]
        + (1...8).map { TestProbes.probe("P\($0)", "PROBE-\($0)\r\n") }

    private func scan(_ port: UInt16, planner: FixedPlanner, matcher: PatternMatcher) async -> [ScanEvent] {
        let engine = ScanEngine(configuration: Self.defaultOptions, planner: planner, matcher: matcher)
        var events: [ScanEvent] = []
        for await event in engine.scan([Endpoint(host: "127.0.0.1", port: port, transport: .tcp)]) {
            events.append(event)
        }
        return events
    }

    private func services(_ events: [ScanEvent]) -> [String] {
        events.compactMap { if case .identified(_, let hit, _, _, _) = $0 { hit.service } else { nil } }
    }

    @Test func greeterSpeakingAfterFourAndAHalfSecondsIsNamed() async throws {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandler(
                DelayedGreeting("220 slow.example ESMTP ready\r\n", delay: .milliseconds(4_500)))
        }
        defer { server.close(promise: nil) }
        let events = await scan(LoopbackServers.port(of: server), planner: FixedPlanner(tcp: Self.probes),
                                matcher: try PatternMatcher([("^220 [^ ]+ ESMTP", "smtp")]))
        #expect(services(events) == ["smtp"])
    }

    /// A TLS server that handshakes one connection at a time in its accept loop: every other connection waits in
    /// the backlog with its probe unanswered until the server gets to it. Twenty independent servers and scans,
    /// run side by side: every one must say ssl.
    @Test func oneHandshakeAtATimeTLSServerIsSSLTwentyTimesOutOfTwenty() async throws {
        let (certificate, key) = try TestCertificate.make()
        let serverContext = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        let plan = [TestProbes.null, TestProbes.probe("GetRequest", "GET / HTTP/1.0\r\n\r\n"),
                    Probe(name: "TLSHello", transport: .tcp, payload: LearningInputs.tlsClientHello,
                          location: SourceLocation(file: "test", line: 1))]
            + (1...6).map { TestProbes.probe("P\($0)", "PROBE-\($0)\r\n") }
        let matcher = try PatternMatcher([("^NEVER", "never")])
        let runs = 20
        let named = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<runs {
                group.addTask {
                    let server = try await OneHandshakeAtATime.start(context: serverContext)
                    defer { server.close(promise: nil) }
                    let events = await scan(LoopbackServers.port(of: server), planner: FixedPlanner(tcp: plan),
                                            matcher: matcher)
                    return services(events) == ["ssl"]
                }
            }
            var count = 0
            for try await ok in group where ok { count += 1 }
            return count
        }
        #expect(named == runs)
    }
}

/// A TLS server whose accept loop takes the next connection only when the current one's handshake is over
/// (completed or failed): the server channel reads one connection at a time, with auto-read off.
enum OneHandshakeAtATime {
    static func start(context: NIOSSLContext) async throws -> any Channel {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.autoRead, value: false)
            .serverChannelOption(.maxMessagesPerRead, value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        NIOSSLServerHandler(context: context), AcceptNextAfterHandshake())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.read()
        return server
    }
}

/// Asks the listening socket for the next connection once this one's handshake ended, one way or the other.
final class AcceptNextAfterHandshake: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private var done = false

    private func next(_ context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        context.channel.parent?.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { next(context) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        next(context)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        next(context)
        context.fireChannelInactive()
    }
}
