import AmapModel
import AmapSignatures
import Testing

/// A line whose regex backtracks without end on a long run of `a` that does not end the subject.
private let bomb = "^(a+)+$"
private let hostile = [UInt8](repeating: UInt8(ascii: "a"), count: 3_000) + [UInt8(ascii: "!")]
private let bombLocation = SourceLocation(file: "limit-test", line: 7)

@Suite struct RegexLimitLogTests {
    @Test func nmapMatcherNotesALineThatHitTheLimit() throws {
        let line = Signature(service: "bomb", strength: .hard, pattern: try CompiledPattern(bomb),
                             templates: VersionTemplates(), location: bombLocation)
        let null = Probe(name: "NULL", transport: .tcp, payload: [], location: SourceLocation(file: "p", line: 1),
                         signatures: [line])
        let matcher = NmapMatcher(database: SignatureDatabase(probes: [null]))
        let log = RegexLimitLog()
        let hits = RegexLimitLog.$current.withValue(log) {
            matcher.identify(hostile, probe: null, transport: .tcp, tunnelled: false)
        }
        #expect(hits.isEmpty)
        #expect(log.recorded == [bombLocation])
        #expect(log.note == "regex match limit exceeded, treated as no match: limit-test:7:1")
    }

    @Test func amapMatcherNotesALineThatHitTheLimit() throws {
        let line = Signature(service: "bomb", strength: .hard, pattern: try CompiledPattern(bomb, options: .amap),
                             templates: VersionTemplates(), location: bombLocation)
        let trigger = Probe(name: "x", transport: .tcp, payload: [0x78], location: SourceLocation(file: "t", line: 1))
        let log = RegexLimitLog()
        let hits = RegexLimitLog.$current.withValue(log) {
            AmapMatcher(signatures: [line]).identify(hostile, probe: trigger, transport: .tcp, tunnelled: false)
        }
        #expect(hits.isEmpty)
        #expect(log.recorded == [bombLocation])
    }

    @Test func anOrdinaryMissIsNotNoted() throws {
        let line = Signature(service: "ftp", strength: .hard, pattern: try CompiledPattern("^220 "),
                             templates: VersionTemplates(), location: bombLocation)
        let trigger = Probe(name: "x", transport: .tcp, payload: [0x78], location: SourceLocation(file: "t", line: 1))
        let log = RegexLimitLog()
        RegexLimitLog.$current.withValue(log) {
            _ = AmapMatcher(signatures: [line]).identify(hostile, probe: trigger, transport: .tcp, tunnelled: false)
        }
        #expect(log.recorded.isEmpty)
        #expect(log.note == nil)
    }

    @Test func theNoteNamesAFewLinesOnce() {
        let log = RegexLimitLog()
        for line in [1, 2, 1, 3, 4, 5] { log.record(SourceLocation(file: "f", line: line)) }
        #expect(log.recorded.map(\.line) == [1, 2, 3, 4, 5])
        #expect(log.note == "regex match limit exceeded, treated as no match: f:1:1, f:2:1, f:3:1 and 2 more")
    }
}
