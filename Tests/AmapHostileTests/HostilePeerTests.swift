import AmapEngine
import AmapModel
import AmapSignatures
import AmapTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The engine against services built to hurt a scanner, each on 127.0.0.1: every scan must end within its budget,
/// keep at most the byte cap per response, survive, and produce escaped output in all three formats.
///
/// Serialized: the flood test reads the process's peak memory, which other tests running at the same time would
/// blur. Budgets are generous (a loaded 2-core machine); the measured times are printed.
@Suite(.serialized) struct HostilePeerTests {
    private func tcp(_ server: any Channel) -> Endpoint {
        Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: .tcp)
    }

    /// How many TCP probes the plan sends to a port (plain), so budgets scale with the database.
    private var plainProbes: Int {
        HostileScan.planner().plan(port: 40_000, transport: .tcp, tunnelled: false, softMatchedService: nil)
            .filter { $0.transport == .tcp }.count
    }

    /// Every probe waiting its full wait, plus the connects, twice over, plus slack for a loaded machine.
    private var fullPlanBudget: Duration {
        let configuration = HostileScan.configuration
        let perProbe = max(configuration.responseTimeoutMilliseconds, configuration.bannerWaitMilliseconds) + 100
        return .milliseconds(2 * plainProbes * perProbe + 2 * configuration.tlsHandshakeTimeoutMilliseconds) + .seconds(20)
    }

    @Test func tarpitTricklingAByteASecondEndsWithinTheWaitOfEachProbe() async throws {
        let server = try await LoopbackServers.tcp { try $0.pipeline.syncOperations.addHandler(Tarpit()) }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "tarpit (1 byte/s, \(plainProbes) probes)",
                                           budget: fullPlanBudget)
        #expect(report.results.first?.state == .open)
    }

    @Test func tarpitTricklingFastDoesNotMakeMatchingCostMoreThanTheWait() async throws {
        // One byte every 2 ms: hundreds of reads per probe, each a chance to run every signature again.
        let server = try await LoopbackServers.tcp {
            try $0.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
            try $0.pipeline.syncOperations.addHandler(Tarpit(interval: .milliseconds(2)))
        }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "fast trickle (1 byte/2 ms)", budget: fullPlanBudget)
        #expect(report.results.first?.state == .open)
    }

    @Test(.enabled(if: NmapDatabase.isInstalled))
    func fastTrickleAgainstNmapsWholeDatabaseStaysWithinTheWaits() async throws {
        // nmap's database has thousands of regexes per probe; a read every 2 ms must not run them all each time.
        let database = try #require(NmapDatabase.load())
        let server = try await LoopbackServers.tcp {
            try $0.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
            try $0.pipeline.syncOperations.addHandler(Tarpit(interval: .milliseconds(2)))
        }
        defer { server.close(promise: nil) }
        let planner = NmapProbePlanner(database: database)
        let probes = planner.plan(port: 40_000, transport: .tcp, tunnelled: false, softMatchedService: nil).count
        let configuration = HostileScan.configuration
        let budget = Duration.milliseconds(probes * (configuration.bannerWaitMilliseconds + 100)) + .seconds(20)
        let report = await HostileScan.run(
            [tcp(server)], planner: planner, matcher: CombinedMatcher(database: database),
            label: "fast trickle, nmap database (\(probes) probes, \(database.signatureCount) signatures)",
            budget: budget)
        #expect(report.results.first?.state == .open)
    }

    @Test(arguments: [64 * 1024, 1024 * 1024, 8 * 1024 * 1024])
    func floodIsCutAtTheByteCapAndDoesNotGrowMemory(cap: Int) async throws {
        let sent = ManagedAtomicCounter()
        let server = try await LoopbackServers.tcp { try $0.pipeline.syncOperations.addHandler(Flood(sent: sent)) }
        defer { server.close(promise: nil) }
        var configuration = HostileScan.configuration
        configuration.responseByteCap = cap
        let report = await HostileScan.run([tcp(server)], configuration: configuration, label: "flood (cap \(cap))",
                                           budget: fullPlanBudget)
        let growth = report.peakRSSAfterKB - report.rssBeforeKB
        let sanitizer = ProcessInfo.processInfo.environment["AMAP_SANITIZER"]
        let megabytes = Double(sent.value) / 1_048_576
        print("hostile: flood: cap \(cap / 1024) KiB: server pushed \(Int(megabytes)) MiB in \(report.seconds) s; "
            + "peak bytes held by one connection \(report.peakBytesHeldPerConnection); RSS \(report.rssBeforeKB) kB "
            + "before, peak \(report.peakRSSAfterKB) kB during the scan (+\(growth) kB)"
            + (sanitizer.map { " under the \($0) sanitizer" } ?? ""))
        #expect(report.results.first?.state == .open)
        // What the engine itself counts holds in every build: `HostileScan.run` checks that no connection held more
        // than the cap; the flood must really have filled it.
        #expect(report.peakBytesHeldPerConnection == cap, "the flood should fill the cap exactly")
        // Peak RSS only means something without a sanitizer (shadow memory, ASan's quarantine of freed blocks). The
        // bound comes from the design, one connection at a time (`perPortParallelism` 1 here): the session's buffer
        // (one cap, allocated once), bytes delivered but not yet read (at most one cap: the handler stops reading
        // the socket at the cap), the answers kept for the result and its events (two caps), plus 16 MB for the
        // allocator, NIO's buffers and the matcher. Measured before the test renders the outputs (hex dumps and
        // escaped copies of those answers are the formatters' memory, not the engine's).
        if sanitizer == nil {
            let boundKB = (4 * cap) / 1024 + 16 * 1024
            #expect(growth < boundKB, "peak RSS grew by \(growth) kB under the flood (bound \(boundKB) kB)")
        }
    }

    @Test func instantResetIsReportedWithoutHanging() async throws {
        let server = try await LoopbackServers.tcp { try $0.pipeline.syncOperations.addHandler(InstantReset()) }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "instant reset", budget: .seconds(20))
        #expect(report.results.count == 1)
    }

    @Test func halfCloseAfterABannerEndsTheProbeAtOnce() async throws {
        let server = try await LoopbackServers.tcp {
            try $0.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
            try $0.pipeline.syncOperations.addHandler(HalfClose(banner: "220 half-open service ready\r\n"))
        }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "half close", budget: fullPlanBudget)
        // The banner and the close can both arrive before the NULL probe's exchange begins; it was lost then (4 runs
        // of 6 read the port as tcpwrapped) until the session took exchange 0's bytes as the first exchange's.
        #expect(report.results.first?.banner == Array("220 half-open service ready\r\n".utf8))
        #expect(report.results.first?.note == nil)
    }

    @Test func peerThatNeverReadsCannotBlockABigProbe() async throws {
        // A server that never reads: the 8 MiB probe fills both socket buffers and the write stays pending.
        let server = try await LoopbackServers.tcp(autoRead: false) { _ in }
        defer { server.close(promise: nil) }
        let big = FixedProbes.probe("Big", [UInt8](repeating: 0x41, count: 8 << 20))
        let planner = FixedProbes(probes: [FixedProbes.probe("NULL", []), big])
        let report = await HostileScan.run([tcp(server)], planner: planner, label: "never reads (8 MiB probe)",
                                           budget: .seconds(20))
        #expect(report.results.first?.state == .open)
    }

    @Test func peerClosingWhileWeWriteDoesNotKillTheProcessWithSIGPIPE() async throws {
        let cuts = ManagedAtomicCounter()
        let server = try await LoopbackServers.tcp {
            try $0.pipeline.syncOperations.addHandler(ResetWhileWriting(cuts: cuts))
        }
        defer { server.close(promise: nil) }
        // Reset after the first byte of a 4 MiB write, on several ports at once: the writes after the reset get
        // EPIPE/ECONNRESET. This process is still here to run the expectations only if SIGPIPE did not kill it.
        let big = FixedProbes.probe("Big", [UInt8](repeating: 0x42, count: 4 << 20))
        let planner = FixedProbes(probes: [FixedProbes.probe("NULL", [], wait: 10), big, FixedProbes.probe("Big2", big.payload)])
        let endpoints = Array(repeating: tcp(server), count: 8)
        let report = await HostileScan.run(endpoints, planner: planner, label: "reset during write",
                                           budget: .seconds(30))
        print("hostile: reset during write: \(cuts.value) connection(s) cut mid-write; SIGPIPE disposition: "
            + (SignalDisposition.sigpipeIgnored ? "ignored" : "default"))
        #expect(cuts.value >= 8)
        #expect(report.results.count == 8)
    }

    @Test func tlsServerSendingGarbageAfterServerHelloFailsTheTLSPassOnly() async throws {
        let garbage = [UInt8](repeating: 0xFF, count: 2_000) + [0x1B, 0x5B, 0x32, 0x4A]
        let server = try await LoopbackServers.tcp {
            try $0.pipeline.syncOperations.addHandler(FakeTLSServer(reply: FakeTLSServer.serverHelloThenGarbage(garbage)))
        }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "TLS garbage after ServerHello",
                                           budget: fullPlanBudget)
        #expect(report.results.first?.state == .open)
    }

    @Test func tlsServerThatNeverFinishesTheHandshakeTimesOut() async throws {
        let server = try await LoopbackServers.tcp {
            try $0.pipeline.syncOperations.addHandler(FakeTLSServer(reply: FakeTLSServer.stalledHandshake))
        }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "TLS handshake never finishes",
                                           budget: fullPlanBudget)
        #expect(report.results.first?.state == .open)
    }

    @Test func bannerOfEscapeSequencesNULsAndInvalidUTF8IsEscapedInEveryFormat() async throws {
        let server = try await LoopbackServers.tcp {
            try $0.pipeline.syncOperations.addHandler(SameReplyToEverything(reply: HostileBytes.terminalAttack))
        }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "escape-laden banner", budget: fullPlanBudget)
        #expect(report.results.first?.banner?.isEmpty == false)
        // The bytes did reach the formatters: the dump or banner text names them in escaped form.
        #expect(report.human.contains("1b5b"), "the hex dump shows ESC [ as 1b5b")
        #expect(report.jsonLines.contains("1b") || report.jsonLines.contains("u001b"))
    }

    @Test func identifiedBannerWithEscapesIsEscapedInEveryFormat() async throws {
        // Matches the built-in SSH signature, so the escapes also travel through the version fields.
        let reply = Array("SSH-2.0-Evil\u{1B}]0;pwned\u{07}\u{1B}[2J".utf8) + [0x00, 0x9B, 0xC2, 0x9B, 0xFF] + Array("\r\n".utf8)
        let server = try await LoopbackServers.tcp {
            try $0.pipeline.syncOperations.addHandler(SameReplyToEverything(reply: reply))
        }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "identified escape-laden banner",
                                           budget: fullPlanBudget)
        #expect(report.identifications.contains { $0.service == "ssh" })
    }

    @Test func udpServiceAnsweringFiftyTimesTheProbeIsCapped() async throws {
        let sent = ManagedAtomicCounter()
        let largest = ManagedAtomicCounter()
        let server = try await LoopbackServers.udp { UDPAmplifier(sent: sent, largestProbe: largest) }
        defer { server.close(promise: nil) }
        let endpoint = Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: .udp)
        let probes = HostileScan.planner().plan(port: endpoint.port, transport: .udp, tunnelled: false,
                                                softMatchedService: nil).count
        let report = await HostileScan.run([endpoint], label: "UDP 50x amplifier (\(probes) probes)",
                                           budget: .milliseconds(probes * 400) + .seconds(20))
        print("hostile: UDP amplifier: largest probe \(largest.value) bytes, \(sent.value / 1024) KiB sent back")
        #expect(sent.value > 0, "the amplifier must have been probed")
        #expect(report.results.first?.state == .open)
    }

    @Test func portMatchingSeveralSignaturesReportsEachServiceOnce() async throws {
        // Text that several built-in signatures accept: an HTTP status line, an FTP and an SMTP greeting.
        let reply = Array("HTTP/1.0 200 OK\r\nServer: Apache\r\n\r\n220 mail ESMTP Postfix\r\n220 FTP server ready\r\n".utf8)
        let server = try await LoopbackServers.tcp {
            try $0.pipeline.syncOperations.addHandler(SameReplyToEverything(reply: reply))
        }
        defer { server.close(promise: nil) }
        let report = await HostileScan.run([tcp(server)], label: "same reply to every trigger",
                                           budget: fullPlanBudget)
        let pairs = report.identifications.map { "\($0.service)|\($0.isSoft)" }
        print("hostile: same reply: identified \(Set(report.identifications.map(\.service)).sorted())")
        #expect(!pairs.isEmpty)
        // amap reports each service once per port however many triggers it answers.
        let plain = report.events.compactMap { event -> String? in
            if case .identified(_, let hit, _, _, false) = event { return "\(hit.service)|\(hit.isSoft)" }
            return nil
        }
        #expect(plain.count == Set(plain).count, "a service was reported twice: \(plain)")
    }
}

/// A planner that sends the same probes to every port (the engine's contract only).
struct FixedProbes: ProbePlanner {
    var probes: [Probe]
    func plan(port: UInt16, transport: Transport, tunnelled: Bool, softMatchedService: String?) -> [Probe] {
        probes.filter { $0.transport == transport }
    }

    static func probe(_ name: String, _ payload: [UInt8], wait: Int? = nil) -> Probe {
        Probe(name: name, transport: .tcp, payload: payload, totalWaitMilliseconds: wait,
              location: SourceLocation(file: "hostile-test", line: 1))
    }
}

/// Bytes built to attack a terminal or a parser reading the report.
enum HostileBytes {
    /// ESC sequences (clear screen, set title, OSC 8 hyperlink, cursor moves), 8-bit CSI, its UTF-8 encoding, NULs,
    /// BEL, backspaces, DEL, invalid UTF-8, a right-to-left override and an XML-breaking `]]>` and `</`.
    static let terminalAttack: [UInt8] =
        Array("220 ".utf8) + [0x1B] + Array("[2J".utf8) + [0x1B] + Array("]0;owned".utf8) + [0x07]
        + [0x1B] + Array("]8;;http://example.invalid/".utf8) + [0x1B, 0x5C] + [0x9B] + Array("31m".utf8)
        + [0xC2, 0x9B] + Array("1A".utf8) + [0x00, 0x00, 0x08, 0x08, 0x7F] + [0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80]
        + Array("\u{202E}txt.exe ]]></nmaprun>&amp;\"'<".utf8) + [0x0D] + Array("fake line\r\n".utf8)
}

/// Reads the SIGPIPE disposition without changing it.
enum SignalDisposition {
    static var sigpipeIgnored: Bool {
        var current = sigaction()
        guard sigaction(SIGPIPE, nil, &current) == 0 else { return false }
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}

/// nmap's installed database, read at run time (never copied into the repository).
enum NmapDatabase {
    static let path = "/usr/share/nmap/nmap-service-probes"
    static var isInstalled: Bool { FileManager.default.fileExists(atPath: path) }
    static func load() -> SignatureDatabase? { try? ServiceProbesLoader.load(path: path).database }
}
