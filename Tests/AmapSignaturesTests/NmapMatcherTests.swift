import AmapModel
import AmapSignatures
import Testing

/// Builds probes and signatures by hand, so these tests need no loader.
private func signature(_ service: String, _ regex: String, soft: Bool = false, line: Int, product: String? = nil,
                       version: String? = nil) throws -> Signature {
    Signature(
        service: service,
        strength: soft ? .soft : .hard,
        pattern: try CompiledPattern(regex),
        templates: VersionTemplates(product: product.map { Array($0.utf8) }, version: version.map { Array($0.utf8) }),
        location: SourceLocation(file: "test-probes", line: line)
    )
}

private func probe(_ name: String, _ transport: Transport = .tcp, payload: String, line: Int,
                   ports: [UInt16] = [], rarity: Int = 5, fallbacks: [String] = [],
                   signatures: [Signature] = []) -> Probe {
    Probe(
        name: name, transport: transport, payload: Array(payload.utf8), ports: PortSet(ports: ports), rarity: rarity,
        fallbackNames: fallbacks, location: SourceLocation(file: "test-probes", line: line), signatures: signatures)
}

@Suite struct NmapMatcherTests {
    let database: SignatureDatabase

    init() throws {
        database = SignatureDatabase(probes: [
            probe("NULL", payload: "", line: 1, signatures: [
                try signature("ftp", "^220 ([\\w.]+) FTP", line: 2, product: "$1"),
                try signature("ssh", "^SSH-([\\d.]+)-", soft: true, line: 3),
            ]),
            probe("GetRequest", payload: "GET / HTTP/1.0\r\n\r\n", line: 10, ports: [80, 8080], rarity: 1,
                  fallbacks: ["Generic"], signatures: [
                try signature("http", "^HTTP/1\\.[01] \\d+.*\\r\\nServer: nginx/([\\d.]+)", line: 11,
                              product: "nginx", version: "$1"),
                try signature("http", "^HTTP/1\\.[01] \\d+", soft: true, line: 12),
            ]),
            probe("Generic", payload: "\r\n", line: 20, rarity: 8, signatures: [
                try signature("echo", "^\\r\\n$", line: 21),
                try signature("http", "^HTTP/1\\.1 400", line: 22, product: "generic-400"),
            ]),
            probe("DNSStatus", .udp, payload: "x", line: 30, ports: [53], rarity: 1, signatures: [
                try signature("domain", "^x", line: 31),
            ]),
        ])
    }

    @Test func ownLinesFirstWithTemplates() throws {
        let matcher = NmapMatcher(database: database)
        let response = Array("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n\r\n".utf8)
        let hits = matcher.identify(response, probe: database.probes[1], transport: .tcp, tunnelled: false)
        #expect(hits.count == 1)
        #expect(hits.first?.service == "http")
        #expect(hits.first?.isSoft == false)
        #expect(hits.first?.version.product == "nginx")
        #expect(hits.first?.version.version == "1.22.1")
        #expect(hits.first?.evidence.signature.line == 11)
        #expect(hits.first?.evidence.matchedViaProbe == nil)
    }

    @Test func hardMatchInFallbackBeatsEarlierSoftMatch() {
        let matcher = NmapMatcher(database: database)
        let response = Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8)
        let hits = matcher.identify(response, probe: database.probes[1], transport: .tcp, tunnelled: false)
        #expect(hits.map(\.service) == ["http"])
        #expect(hits.first?.isSoft == false)
        #expect(hits.first?.version.product == "generic-400")
        #expect(hits.first?.evidence.matchedViaProbe == "Generic")
    }

    @Test func nullLinesCloseEveryTCPChain() {
        let matcher = NmapMatcher(database: database)
        let response = Array("220 ftp.example FTP server ready\r\n".utf8)
        let hits = matcher.identify(response, probe: database.probes[1], transport: .tcp, tunnelled: true)
        #expect(hits.first?.service == "ftp")
        #expect(hits.first?.version.product == "ftp.example")
        #expect(hits.first?.evidence.matchedViaProbe == "NULL")
        #expect(hits.first?.isTunnelled == true)
    }

    @Test func softMatchReportedWhenNothingHard() {
        let matcher = NmapMatcher(database: database)
        let hits = matcher.identify(Array("SSH-2.0-x\r\n".utf8), probe: database.probes[0], transport: .tcp,
                                    tunnelled: false)
        #expect(hits.map(\.service) == ["ssh"])
        #expect(hits.first?.isSoft == true)
        #expect(hits.first?.evidence.captures == ["2.0"])
    }

    @Test func udpChainsHaveNoNullLines() {
        let matcher = NmapMatcher(database: database)
        #expect(matcher.identify(Array("220 a FTP".utf8), probe: database.probes[3], transport: .udp,
                                 tunnelled: false).isEmpty)
        #expect(matcher.identify(Array("xyz".utf8), probe: database.probes[3], transport: .udp,
                                 tunnelled: false).map(\.service) == ["domain"])
    }

    @Test func unknownProbeFallsBackToNullOverTCP() {
        let matcher = NmapMatcher(database: database)
        let trigger = probe("amap-http", payload: "GET", line: 99)
        #expect(matcher.identify(Array("220 a FTP".utf8), probe: trigger, transport: .tcp,
                                 tunnelled: false).map(\.service) == ["ftp"])
        #expect(matcher.identify([], probe: trigger, transport: .tcp, tunnelled: false).isEmpty)
    }
}

@Suite struct NmapProbePlannerTests {
    let database = SignatureDatabase(probes: [
        probe("NULL", payload: "", line: 1),
        probe("Rare", payload: "r", line: 2, rarity: 9),
        probe("Common", payload: "c", line: 3, rarity: 1),
        probe("PortListedRare", payload: "p", line: 4, ports: [8443], rarity: 9),
        probe("Middle", payload: "m", line: 5, rarity: 7, signatures: [
            Signature(service: "smtp", pattern: try! CompiledPattern("^220"),
                      location: SourceLocation(file: "t", line: 6)),
        ]),
        probe("UDPOne", .udp, payload: "u", line: 7, rarity: 1),
    ], excludedTCPPorts: PortSet(ports: [9100]))

    @Test func nullThenPortListedThenByRarity() {
        let planner = NmapProbePlanner(database: database)
        #expect(planner.plan(port: 8443, transport: .tcp, tunnelled: false, softMatchedService: nil).map(\.name)
            == ["NULL", "PortListedRare", "Common", "Middle"])
        #expect(planner.plan(port: 22, transport: .tcp, tunnelled: false, softMatchedService: nil).map(\.name)
            == ["NULL", "Common", "Middle"])
    }

    @Test func intensityBoundsRarity() {
        let light = NmapProbePlanner(database: database, selection: ProbeSelection(intensity: 2))
        #expect(light.plan(port: 22, transport: .tcp, tunnelled: false, softMatchedService: nil).map(\.name)
            == ["NULL", "Common"])
        let all = NmapProbePlanner(database: database, selection: ProbeSelection(intensity: 9))
        #expect(all.plan(port: 22, transport: .tcp, tunnelled: false, softMatchedService: nil).count == 5)
    }

    @Test func softMatchPrunesToProbesThatCanRefineIt() {
        let planner = NmapProbePlanner(database: database, selection: ProbeSelection(intensity: 0))
        #expect(planner.plan(port: 22, transport: .tcp, tunnelled: false, softMatchedService: "smtp").map(\.name)
            == ["NULL", "Middle"])
    }

    @Test func udpHasNoNullAndExclusionsApply() {
        let planner = NmapProbePlanner(database: database)
        #expect(planner.plan(port: 53, transport: .udp, tunnelled: false, softMatchedService: nil).map(\.name)
            == ["UDPOne"])
        #expect(planner.plan(port: 9100, transport: .tcp, tunnelled: false, softMatchedService: nil).isEmpty)
        let all = NmapProbePlanner(database: database, ignoreExclusions: true)
        #expect(!all.plan(port: 9100, transport: .tcp, tunnelled: false, softMatchedService: nil).isEmpty)
    }

    @Test func sslPortsUsedInsideTLS() {
        var db = database
        db.probes[2].sslPorts = PortSet(ports: [993])
        db.probes[1].sslPorts = PortSet(ports: [993])
        let planner = NmapProbePlanner(database: db, selection: ProbeSelection(intensity: 1))
        #expect(planner.plan(port: 993, transport: .tcp, tunnelled: true, softMatchedService: nil).map(\.name)
            == ["NULL", "Rare", "Common"])
        #expect(planner.plan(port: 993, transport: .tcp, tunnelled: false, softMatchedService: nil).map(\.name)
            == ["NULL", "Common"])
    }

    @Test func syntheticNullWhenDatabaseHasNone() {
        let db = SignatureDatabase(probes: [probe("http", payload: "GET", line: 1)])
        #expect(NmapProbePlanner(database: db).plan(port: 80, transport: .tcp, tunnelled: false,
                                                   softMatchedService: nil).map(\.name) == ["NULL", "http"])
    }
}

/// The probes a cross-probe answer points to: every probe with a hard line for it, never the sender's own chain.
@Suite struct CrossProbeOwnerTests {
    @Test func everyOtherProbeWithAHardLineForTheAnswerInFileOrder() throws {
        let database = SignatureDatabase(probes: [
            probe("NULL", payload: "", line: 1),
            probe("Lines", payload: "\r\n\r\n", line: 10, signatures: [try signature("decompiler", "^\\t$", line: 11)]),
            probe("Hello", payload: "HELLO", line: 20, signatures: [
                try signature("iperf3", "^\\t$", line: 21),
                try signature("iperf3", "^\\t", soft: true, line: 22),
            ]),
            probe("Cookie", payload: "0000", line: 30, signatures: [
                try signature("iperf3", "^\\t$", line: 31),
                try signature("other", "^x$", line: 32),
            ]),
            probe("Soft", payload: "S", line: 40, signatures: [try signature("iperf3", "^\\t", soft: true, line: 41)]),
        ])
        let matcher = NmapMatcher(database: database)
        let mine = probe("Mine", payload: "TLS", line: 50)
        #expect(matcher.probesWithHardLines(matching: [0x09], probe: mine, transport: .tcp)
                == ["Lines", "Hello", "Cookie"])
        // The sender's own lines are never a hint for itself.
        let hello = try #require(database.probe(named: "Hello", transport: .tcp))
        #expect(matcher.probesWithHardLines(matching: [0x09], probe: hello, transport: .tcp) == ["Lines", "Cookie"])
        #expect(matcher.probesWithHardLines(matching: Array("y".utf8), probe: mine, transport: .tcp).isEmpty)
        // The combined matcher says the same, and nothing for an echo of the probe.
        let combined = CombinedMatcher(database: database)
        #expect(combined.probesWithHardLines(matching: [0x09], probe: mine, transport: .tcp)
                == ["Lines", "Hello", "Cookie"])
        let echoed = probe("Tab", payload: "\t", line: 60)
        #expect(combined.probesWithHardLines(matching: [0x09], probe: echoed, transport: .tcp).isEmpty)
    }
}
