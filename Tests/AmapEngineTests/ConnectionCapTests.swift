import AmapModel
import AmapSignatures
import AmapTestSupport
import NIOCore
import NIOPosix
import Testing
@testable import AmapEngine

/// amap's `-c N`: N connections at most in the whole scan, parallel probes of each port included. Two ports of a
/// loopback server that counts its concurrent connections are scanned together, with 5 parallel probes per port.
@Suite struct ConnectionCapTests {
    static let probes = (1...5).map { TestProbes.probe("P\($0)", "PROBE-\($0)\r\n") }

    enum Behaviour: String, CaseIterable, Sendable {
        /// Accepts and never says a word.
        case silent
        /// Answers every probe with a line nothing names (client-first: nothing before the probe).
        case clientFirst
    }

    private func most(cap: Int, _ behaviour: Behaviour) async throws -> (most: Int, total: Int, results: Int) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let gauge = NIOLoopBoundBox.makeBoxSendingValue(ConnectionGauge(), eventLoop: group.next())
        var servers: [any Channel] = []
        for _ in 0..<2 {
            servers.append(try await LoopbackServers.tcp(group: group) {
                try $0.pipeline.syncOperations.addHandler(GaugeHandler(gauge))
                if behaviour == .clientFirst {
                    try $0.pipeline.syncOperations.addHandler(ReplyOnRequest(request: "PROBE-", reply: "huh?\r\n"))
                }
            })
        }
        var configuration = TimingPromiseTests.defaultOptions
        configuration.responseTimeoutMilliseconds = 300
        configuration.bannerWaitMilliseconds = 300
        configuration.perPortParallelism = 5
        configuration.connectionLimit = cap
        let engine = ScanEngine(configuration: configuration,
                                planner: FixedPlanner(tcp: [TestProbes.null] + Self.probes),
                                matcher: try PatternMatcher([("^NEVER", "never")]))
        var results = 0
        let endpoints = servers.map {
            Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: $0), transport: .tcp)
        }
        for await event in engine.scan(endpoints) {
            if case .finished = event { results += 1 }
        }
        let (most, total) = try await group.next().submit { (gauge.value.most, gauge.value.total) }.get()
        for server in servers { try await server.close() }
        try await group.shutdownGracefully()
        return (most, total, results)
    }

    @Test(arguments: [1, 3], Behaviour.allCases)
    func serverNeverSeesMoreThanTheCap(cap: Int, behaviour: Behaviour) async throws {
        let seen = try await most(cap: cap, behaviour)
        #expect(seen.results == 2)
        #expect(seen.most <= cap, "\(behaviour) -c \(cap): \(seen.most) at once")
        // Every probe still went out, on connections of its own (NULL and P1 share one).
        #expect(seen.total >= Self.probes.count * 2, "\(seen.total) connections")
    }

    @Test func underACapTheProfilesPortBudgetDoesNotCutProbesShort() async throws {
        var configuration = TimingPromiseTests.defaultOptions
        let endpoint = Endpoint(host: "127.0.0.1", port: 1, transport: .tcp)
        func deadline(_ configuration: ScanConfiguration) async throws -> ContinuousClock.Instant? {
            let context = EngineContext(
                configuration: configuration.normalized, planner: FixedPlanner(), matcher: try PatternMatcher([]),
                group: MultiThreadedEventLoopGroup.singleton, tlsContext: nil, emit: { _ in })
            return await context.probingDeadline(for: endpoint, portStart: .now)
        }
        // The control: loopback's lan profile gives a port a budget.
        #expect(try await deadline(configuration) != nil)
        configuration.connectionLimit = 1
        #expect(try await deadline(configuration) == nil)
        // A budget the user gives still applies.
        configuration.portBudgetMilliseconds = 5_000
        #expect(try await deadline(configuration) != nil)
    }

    @Test func withoutACapTheSamePortsSeeMoreAtOnce() async throws {
        // The control: the cap above is what kept the count down.
        let seen = try await most(cap: 64, .silent)
        #expect(seen.most > 3, "\(seen.most) at once without -c")
    }
}

/// `-c N` over UDP: the sockets of parallel UDP probes share the cap too.
@Suite struct UDPSocketCapTests {
    @Test(arguments: [1, 3])
    func udpSocketsStayWithinTheCap(cap: Int) async throws {
        let probes = (1...6).map { TestProbes.probe("U\($0)", "UDP-\($0)", transport: .udp) }
        var configuration = TimingPromiseTests.defaultOptions
        configuration.responseTimeoutMilliseconds = 200
        configuration.udpRetransmits = 0
        configuration.perPortParallelism = 5
        configuration.connectionLimit = cap
        let server = try await LoopbackServers.udpEcho(prefix: "huh:")
        let engine = ScanEngine(configuration: configuration, planner: FixedPlanner(udp: probes),
                                matcher: try PatternMatcher([("^NEVER", "never")]))
        let endpoint = Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: .udp)
        for await _ in engine.scan([endpoint, endpoint]) {}
        try await server.close()
        let most = await engine.connectionsAtOnce
        #expect(most != nil && most! <= cap && most! >= 1, "\(String(describing: most)) sockets at once")
    }
}
