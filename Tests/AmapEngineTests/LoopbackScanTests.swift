import AmapModel
import AmapSignatures
import AmapTestSupport
import NIOCore
import NIOPosix
import NIOSSL
import Testing
@testable import AmapEngine

#if canImport(Glibc)
import Glibc
#endif

/// End-to-end engine tests against in-process servers on 127.0.0.1. Every wait is a few hundred milliseconds.
@Suite struct LoopbackScanTests {
    private static let quick = ScanConfiguration(
        connectTimeoutMilliseconds: 500, connectAttempts: 1, responseTimeoutMilliseconds: 300,
        bannerWaitMilliseconds: 250, tlsHandshakeTimeoutMilliseconds: 1_000, reportAllMatches: false,
        udpRetransmits: 1, udpRetransmitIntervalMilliseconds: 100, timing: .fixed)

    private static let helloProbe = TestProbes.probe("Hello", "HELLO\r\n")

    private func scan(
        _ endpoints: [Endpoint],
        configuration: ScanConfiguration = quick,
        planner: FixedPlanner = FixedPlanner(tcp: [TestProbes.null, helloProbe]),
        matcher: PatternMatcher
    ) async -> [ScanEvent] {
        let engine = ScanEngine(configuration: configuration, planner: planner, matcher: matcher)
        var events: [ScanEvent] = []
        for await event in engine.scan(endpoints) { events.append(event) }
        // The stream ends only after the last endpoint finished, and each endpoint finishes exactly once.
        let finished = events.compactMap { event -> PortResult? in
            if case .finished(let result) = event { return result }
            return nil
        }
        #expect(finished.count == endpoints.count)
        if case .finished = events.last {} else { Issue.record("the stream must end with .finished") }
        return events
    }

    private func results(_ events: [ScanEvent]) -> [PortResult] {
        events.compactMap { if case .finished(let result) = $0 { result } else { nil } }
    }

    private func identified(_ events: [ScanEvent]) -> [(Identification, String, Bool)] {
        events.compactMap {
            if case .identified(_, let hit, _, let probe, let overTLS) = $0 { (hit, probe, overTLS) } else { nil }
        }
    }

    private func tcp(_ port: UInt16) -> Endpoint {
        Endpoint(host: "127.0.0.1", port: port, transport: .tcp)
    }

    @Test func bannerFirstServerIsIdentifiedByTheNullProbe() async throws {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandler(WriteOnActive("SSH-2.0-TestSSH_1.0\r\n"))
        }
        defer { server.close(promise: nil) }
        // Waits far longer than the test may take: finishing early proves the hard match ended the port, without
        // making the test depend on how loaded the machine is.
        var patient = Self.quick
        patient.bannerWaitMilliseconds = 120_000
        patient.responseTimeoutMilliseconds = 120_000
        let started = ContinuousClock.now
        let events = await scan([tcp(LoopbackServers.port(of: server))], configuration: patient,
                                matcher: try PatternMatcher([("^SSH-2\\.0-TestSSH", "ssh")]))
        let hits = identified(events)
        #expect(hits.map(\.0.service) == ["ssh"])
        #expect(hits.first?.1 == "NULL")
        #expect(results(events).first?.state == .open)
        #expect(results(events).first?.banner == Array("SSH-2.0-TestSSH_1.0\r\n".utf8))
        // A hard match ends the port at once: no waiting for the NULL probe's deadline.
        // The full suite runs flood tests on the same event loops at the same time: 32 s was seen, hence 60 s.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func clientFirstServerIsIdentifiedOnTheNullProbesConnection() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let gauge = NIOLoopBoundBox.makeBoxSendingValue(ConnectionGauge(), eventLoop: group.next())
        let server = try await LoopbackServers.tcp(group: group) {
            try $0.pipeline.syncOperations.addHandlers(
                GaugeHandler(gauge), ReplyOnRequest(request: "HELLO\r\n", reply: "HELLO-REPLY 2.1\r\n"))
        }
        let events = await scan([tcp(LoopbackServers.port(of: server))],
                                matcher: try PatternMatcher([("^HELLO-REPLY ([\\d.]+)", "hello")]))
        let hits = identified(events)
        #expect(hits.map(\.0.service) == ["hello"])
        #expect(hits.first?.1 == "Hello")
        let total = try await group.next().submit { gauge.value.total }.get()
        #expect(total == 1, "the first probe after an unmatched NULL goes out on the same connection")
        try await server.close()
        try await group.shutdownGracefully()
    }

    @Test func laterProbesOpenFreshConnections() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let gauge = NIOLoopBoundBox.makeBoxSendingValue(ConnectionGauge(), eventLoop: group.next())
        let server = try await LoopbackServers.tcp(group: group) {
            try $0.pipeline.syncOperations.addHandlers(
                GaugeHandler(gauge), ReplyOnRequest(request: "THIRD", reply: "third-reply"))
        }
        let planner = FixedPlanner(tcp: [
            TestProbes.null, TestProbes.probe("First", "FIRST"), TestProbes.probe("Second", "SECOND"),
            TestProbes.probe("Third", "THIRD"),
        ])
        var configuration = Self.quick
        configuration.responseTimeoutMilliseconds = 150
        configuration.bannerWaitMilliseconds = 150
        let events = await scan([tcp(LoopbackServers.port(of: server))], configuration: configuration,
                                planner: planner, matcher: try PatternMatcher([("^third-reply", "third")]))
        #expect(identified(events).map(\.1) == ["Third"])
        let total = try await group.next().submit { gauge.value.total }.get()
        #expect(total == 3, "NULL+First share one connection; Second and Third each open one")
        try await server.close()
        try await group.shutdownGracefully()
    }

    @Test func closedPortIsClosed() async throws {
        let port = try await LoopbackServers.closedPort(udp: false, group: MultiThreadedEventLoopGroup.singleton)
        let events = await scan([tcp(port)], matcher: try PatternMatcher([(".", "anything")]))
        #expect(results(events).first?.state == .closed)
        #expect(identified(events).isEmpty)
    }

    @Test func silentServerFinishesWithinTheWaits() async throws {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton)
        defer { server.close(promise: nil) }
        let started = ContinuousClock.now
        let events = await scan([tcp(LoopbackServers.port(of: server))],
                                matcher: try PatternMatcher([(".", "anything")]))
        let elapsed = ContinuousClock.now - started
        #expect(results(events).first?.state == .open)
        #expect(identified(events).isEmpty)
        #expect(!events.contains { if case .unrecognized = $0 { true } else { false } })
        // NULL 250 ms + Hello 300 ms: it waited for both, and nothing kept it much longer (generous slack, as the
        // machine may be loaded).
        #expect(elapsed >= .milliseconds(500))
        #expect(elapsed < .seconds(60))
    }

    @Test func immediateCloseIsTCPWrapped() async throws {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandler(WriteOnActive("", closeAfterwards: true))
        }
        defer { server.close(promise: nil) }
        let events = await scan([tcp(LoopbackServers.port(of: server))],
                                matcher: try PatternMatcher([(".", "anything")]))
        #expect(results(events).first?.note == "tcpwrapped")
        #expect(results(events).first?.state == .open)
    }

    @Test func unmatchedAnswerIsReportedOnce() async throws {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandlers(
                WriteOnActive("WHO-KNOWS\r\n"), ReplyOnRequest(request: "HELLO", reply: "STILL-UNKNOWN"))
        }
        defer { server.close(promise: nil) }
        let events = await scan([tcp(LoopbackServers.port(of: server))],
                                matcher: try PatternMatcher([("^SSH", "ssh")]))
        let unrecognized = events.compactMap {
            if case .unrecognized(_, let bytes, let probe, _) = $0 { (bytes, probe) } else { nil }
        }
        #expect(unrecognized.count == 1)
        #expect(unrecognized.first?.0 == Array("WHO-KNOWS\r\n".utf8))
        #expect(unrecognized.first?.1 == "NULL")
    }

    @Test func softMatchReplansAndAmapModeReportsEveryMatch() async throws {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandlers(
                WriteOnActive("220 generic ready\r\n"), ReplyOnRequest(request: "HELP", reply: "214 FancyFTP 9.1\r\n"))
        }
        defer { server.close(promise: nil) }
        let help = TestProbes.probe("Help", "HELP\r\n")
        let planner = FixedPlanner(tcp: [TestProbes.null, Self.helloProbe], afterSoftMatch: ["ftp": [help]])
        var configuration = Self.quick
        configuration.reportAllMatches = true
        // The fresh connection for Help gets the banner first, so the reply is not at the start.
        let matcher = try PatternMatcher([("214 FancyFTP ([\\d.]+)", "ftp"), ("FancyFTP", "fancy")],
                                         soft: [("^220 ", "ftp")])
        let events = await scan([tcp(LoopbackServers.port(of: server))], configuration: configuration,
                                planner: planner, matcher: matcher)
        let hits = identified(events)
        // The soft match re-planned the probes (Help was sent) but is not reported: hard matches followed
        // (nmap reports a soft match only when the port ends without a hard one).
        #expect(hits.map(\.0.service) == ["ftp", "fancy"])
        #expect(hits.map(\.0.isSoft) == [false, false])
        #expect(hits.allSatisfy { $0.1 == "Help" })
        #expect(results(events).first?.primary?.isSoft == false)
    }

    @Test func tlsServerIsIdentifiedInsideTLS() async throws {
        let (certificate, key) = try TestCertificate.make()
        let serverContext = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) { channel in
            try channel.pipeline.syncOperations.addHandlers(
                NIOSSLServerHandler(context: serverContext), WriteOnActive("INNER-SVC 3.0 ready\r\n"))
        }
        defer { server.close(promise: nil) }
        let events = await scan([tcp(LoopbackServers.port(of: server))],
                                matcher: try PatternMatcher([("^INNER-SVC ([\\d.]+)", "inner")]))
        let hits = identified(events)
        let inner = hits.first { $0.0.service == "inner" }
        #expect(inner?.0.isTunnelled == true)
        #expect(inner?.2 == true)
        #expect(inner?.1 == "NULL")
        let result = try #require(results(events).first)
        #expect(result.identifications.map(\.service) == ["inner"])
        #expect(result.tls?.subject?.contains("CN=amap-test") == true)
        #expect(result.tls?.issuer?.contains("O=swift-amap") == true)
        #expect(result.tls?.protocolVersion?.hasPrefix("TLSv1.") == true)
        #expect(result.tls?.notBefore != nil && result.tls?.notAfter != nil)
    }

    @Test func tlsPortStaysTLSWhenNothingIsIdentifiedInside() async throws {
        let (certificate, key) = try TestCertificate.make()
        let serverContext = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) { channel in
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: serverContext))
        }
        defer { server.close(promise: nil) }
        var configuration = Self.quick
        configuration.bannerWaitMilliseconds = 150
        configuration.responseTimeoutMilliseconds = 150
        let events = await scan([tcp(LoopbackServers.port(of: server))], configuration: configuration,
                                matcher: try PatternMatcher([("^NEVER", "never")]))
        let result = try #require(results(events).first)
        #expect(result.identifications.map(\.service) == ["ssl"])
        #expect(result.tls?.subject?.contains("CN=amap-test") == true)
    }

    @Test func tlsPassCanBeTurnedOff() async throws {
        let (certificate, key) = try TestCertificate.make()
        let serverContext = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) { channel in
            try channel.pipeline.syncOperations.addHandlers(
                NIOSSLServerHandler(context: serverContext), WriteOnActive("INNER-SVC 3.0 ready\r\n"))
        }
        defer { server.close(promise: nil) }
        var configuration = Self.quick
        configuration.tlsPass = false
        let events = await scan([tcp(LoopbackServers.port(of: server))], configuration: configuration,
                                matcher: try PatternMatcher([("^INNER-SVC", "inner"), ("^\\x15\\x03", "ssl")]))
        #expect(!identified(events).contains { $0.0.service == "inner" })
        #expect(results(events).first?.tls == nil)
    }

    /// A port that answers every connection with a TLS alert and closes: the plain pass sees TLS, the TLS pass cannot
    /// shake hands, and the warning says so with a kind a program can switch on.
    @Test func failedTLSPassIsATypedWarning() async throws {
        let alert = "\u{15}\u{03}\u{03}\u{00}\u{02}\u{02}\u{28}"  // fatal handshake_failure, TLS 1.2 record
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) { channel in
            try channel.pipeline.syncOperations.addHandler(WriteOnActive(alert, closeAfterwards: true))
        }
        defer { server.close(promise: nil) }
        let endpoint = tcp(LoopbackServers.port(of: server))
        let events = await scan([endpoint], matcher: try PatternMatcher([("^NEVER", "never")]))
        let warnings = events.compactMap {
            if case .warning(let place, let warning) = $0 { (place, warning) } else { nil }
        }
        #expect(warnings.map(\.0) == [endpoint], "\(events)")
        #expect(warnings.map(\.1.kind) == [.tlsPassFailed], "\(events)")
        let result = try #require(results(events).first)
        #expect(warnings.first?.1.description == result.note && result.note != nil, "\(result)")
    }

    @Test func udpAnswerIsOpenAndMatched() async throws {
        let server = try await LoopbackServers.udpEcho(group: MultiThreadedEventLoopGroup.singleton, prefix: "ECHO:")
        defer { server.close(promise: nil) }
        let planner = FixedPlanner(udp: [TestProbes.probe("Ping", "ping", transport: .udp)])
        let endpoint = Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: .udp)
        let events = await scan([endpoint], planner: planner, matcher: try PatternMatcher([("^ECHO:ping", "echo")]))
        #expect(results(events).first?.state == .open)
        #expect(identified(events).map(\.0.service) == ["echo"])
    }

    @Test func closedUDPPortIsClosed() async throws {
        let port = try await LoopbackServers.closedPort(udp: true, group: MultiThreadedEventLoopGroup.singleton)
        let planner = FixedPlanner(udp: [TestProbes.probe("Ping", "ping", transport: .udp)])
        let endpoint = Endpoint(host: "127.0.0.1", port: port, transport: .udp)
        let events = await scan([endpoint], planner: planner, matcher: try PatternMatcher([(".", "x")]))
        #expect(results(events).first?.state == .closed)
    }

    @Test func concurrencyWindowIsRespected() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let gauge = NIOLoopBoundBox.makeBoxSendingValue(ConnectionGauge(), eventLoop: group.next())
        let server = try await LoopbackServers.tcp(group: group) {
            try $0.pipeline.syncOperations.addHandler(GaugeHandler(gauge))
        }
        var configuration = Self.quick
        configuration.window = 2
        configuration.bannerWaitMilliseconds = 100
        let endpoint = tcp(LoopbackServers.port(of: server))
        let started = ContinuousClock.now
        let events = await scan(Array(repeating: endpoint, count: 6), configuration: configuration,
                                planner: FixedPlanner(tcp: [TestProbes.null]),
                                matcher: try PatternMatcher([(".", "x")]))
        #expect(results(events).allSatisfy { $0.state == .open })
        let (most, total) = try await group.next().submit { (gauge.value.most, gauge.value.total) }.get()
        #expect(total == 6)
        // Six silent endpoints of 100 ms each, two at a time, take at least three rounds; all at once would take one.
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        // The server may accept the next connection a moment before it has processed the previous one's reset, so
        // it can briefly count one more than the window; without a window it would count six.
        #expect(most <= configuration.window + 1)
        #expect(most >= 1)
        try await server.close()
        try await group.shutdownGracefully()
    }

    @Test func bannerModeReportsTheFirstBytes() async throws {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandler(WriteOnActive("220 banner here\r\n"))
        }
        defer { server.close(promise: nil) }
        var configuration = Self.quick
        configuration.mode = .banner
        let events = await scan([tcp(LoopbackServers.port(of: server))], configuration: configuration,
                                matcher: try PatternMatcher([(".", "x")]))
        let banners = events.compactMap { if case .banner(_, let bytes) = $0 { bytes } else { nil } }
        #expect(banners == [Array("220 banner here\r\n".utf8)])
        #expect(identified(events).isEmpty)
    }

    @Test func portScanModeReportsOpenAndClosed() async throws {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton)
        defer { server.close(promise: nil) }
        let closed = try await LoopbackServers.closedPort(udp: false, group: MultiThreadedEventLoopGroup.singleton)
        var configuration = Self.quick
        configuration.mode = .portScan
        let open = tcp(LoopbackServers.port(of: server))
        let events = await scan([open, tcp(closed)], configuration: configuration,
                                matcher: try PatternMatcher([(".", "x")]))
        let states = events.compactMap {
            if case .portState(let endpoint, let state) = $0 { (endpoint, state) } else { nil }
        }
        #expect(states.count == 1)
        #expect(states.first?.0 == open)
        #expect(states.first?.1 == .open)
        #expect(results(events).first { $0.endpoint.port == closed }?.state == .closed)
    }

    @Test func udpPortScanOfAClosedPortIsClosed() async throws {
        let port = try await LoopbackServers.closedPort(udp: true, group: MultiThreadedEventLoopGroup.singleton)
        var configuration = Self.quick
        configuration.mode = .portScan
        let events = await scan([Endpoint(host: "127.0.0.1", port: port, transport: .udp)],
                                configuration: configuration, matcher: try PatternMatcher([(".", "x")]))
        #expect(results(events).first?.state == .closed)
        #expect(!events.contains { if case .portState = $0 { true } else { false } })
    }
}

/// Serialized: two of these tests change the process's open-file limit.
@Suite(.serialized) struct SystemHelperTests {
    /// The library reads the open-file limit and never changes it: a process-wide setting is the program's to change
    /// (the `amap` command and the example raise it themselves).
    @Test func buildingAConfigurationAndScanningLeaveTheLimitAsItWas() async throws {
        try await ProcessLimitLock.withLock { try await configurationAndScanLeaveTheLimit() }
    }

    private func configurationAndScanLeaveTheLimit() async throws {
        let before = try #require(OpenFileLimit.current())
        // Lowered a little below the hard limit (never below 4,096, so tests running beside this one keep their
        // descriptors), and restored afterwards.
        let lowered = max(4_096, before.hard / 2)
        try #require(lowered < before.hard, "the hard limit (\(before.hard)) leaves no room below it")
        var limits = rlimit(rlim_cur: rlim_t(lowered), rlim_max: rlim_t(before.hard))
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        try #require(setrlimit(resource, &limits) == 0)
        defer {
            var restore = rlimit(rlim_cur: rlim_t(before.soft), rlim_max: rlim_t(before.hard))
            _ = setrlimit(resource, &restore)
        }
        let configuration = ScanConfiguration()
        let engine = ScanEngine(configuration: configuration, planner: FixedPlanner(tcp: [TestProbes.null]),
                                matcher: try PatternMatcher([("^NEVER", "never")]))
        let closed = try ClosedPort()
        defer { closed.release() }
        for await _ in engine.scan([Endpoint(host: "127.0.0.1", port: closed.port, transport: .tcp)]) {}
        #expect(OpenFileLimit.current()?.soft == UInt64(lowered))
    }

    @Test func openFileLimitIsRaisedToTheHardLimit() async throws {
        let limits = try #require(await ProcessLimitLock.withLock { OpenFileLimit.raiseSoftLimitToHardLimit() })
        #expect(limits.soft <= limits.hard)
        #expect(limits.soft > 0)
    }

    @Test func resolverPassesLiteralsThrough() async throws {
        #expect(try await EndpointResolver.addresses(of: "127.0.0.1") == ["127.0.0.1"])
        #expect(try await EndpointResolver.addresses(of: "[::1]") == ["::1"])
    }

    @Test func resolverResolvesLocalhost() async throws {
        let addresses = try await EndpointResolver.addresses(of: "localhost")
        #expect(!addresses.isEmpty)
        #expect(addresses.allSatisfy { $0 == "127.0.0.1" || $0 == "::1" || $0.hasPrefix("127.") })
    }
}
