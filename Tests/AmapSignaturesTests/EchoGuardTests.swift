import AmapModel
import AmapSignatures
import Testing

@Suite struct EchoGuardTests {
    let probe = Probe(name: "HTTPGet", transport: .tcp, payload: Array("GET / HTTP/1.0\r\n\r\n".utf8),
                      location: AmapModel.SourceLocation(file: "t", line: 1))

    @Test func wholePartialAndRepeatedEchoes() {
        #expect(EchoGuard.isEcho(probe.payload, of: probe))
        #expect(EchoGuard.isEcho(Array("GET / HT".utf8), of: probe))
        #expect(EchoGuard.isEcho(probe.payload + probe.payload, of: probe))
        #expect(EchoGuard.isEcho(probe.payload + Array("GET".utf8), of: probe))
    }

    @Test func realAnswersAreNotEchoes() {
        #expect(!EchoGuard.isEcho(Array("HTTP/1.1 200 OK\r\n".utf8), of: probe))
        #expect(!EchoGuard.isEcho(probe.payload + Array("HTTP/1.1 400".utf8), of: probe))
        #expect(!EchoGuard.isEcho(Array("anything".utf8), of: NmapProbePlanner.syntheticNull))
        #expect(!EchoGuard.isEcho([], of: probe))
    }

    @Test func combinedMatcherIgnoresEchoesAndMergesBothRuleSets() throws {
        let http = Signature(service: "http", pattern: try CompiledPattern("^GET|^HTTP/1"),
                             location: AmapModel.SourceLocation(file: "t", line: 2))
        let amapLine = Signature(service: "webserver", pattern: try CompiledPattern("^HTTP/", options: .amap),
                                 location: AmapModel.SourceLocation(file: "t.resp", line: 1))
        var owning = probe
        owning.signatures = [http]
        let database = SignatureDatabase(probes: [owning], responseSignatures: [amapLine])
        let matcher = CombinedMatcher(database: database)
        #expect(matcher.identify(probe.payload, probe: owning, transport: .tcp, tunnelled: false).isEmpty)
        let hits = matcher.identify(Array("HTTP/1.1 200 OK\r\n".utf8), probe: owning, transport: .tcp, tunnelled: false)
        #expect(hits.map(\.service) == ["http", "webserver"])
    }
}
