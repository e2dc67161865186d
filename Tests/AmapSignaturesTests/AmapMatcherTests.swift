import AmapModel
import AmapSignatures
import Testing

@Suite struct AmapMatcherTests {
    /// Made-up response lines exercising each rule.
    private static let lines = """
        # line 1 is this comment
        greet::tcp::^hello
        greet-long:::20,30:^hello
        exact:::5:^hello
        after-knock:knock,ring:::^hello
        udp-only::udp::^hello
        multi::::^OK.done
        version::::^hello v(\\d+)\\.(.)(x)?
        """

    private let database: SignatureDatabase
    private let matcher: AmapMatcher

    init() throws {
        let result = AppdefsText.responses(Self.lines)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        database = result.database
        matcher = AmapMatcher(database: database)
    }

    private func probe(_ name: String, _ transport: Transport = .tcp) -> Probe {
        Probe(name: name, transport: transport, payload: [1], location: AmapModel.SourceLocation(file: "t", line: 1))
    }

    private func services(_ text: String, probe name: String = "other", transport: Transport = .tcp) -> [String] {
        matcher.identify(AppdefsText.bytes(text), probe: probe(name, transport), transport: transport, tunnelled: false)
            .map(\.service)
    }

    @Test func everyHitIsReturnedInFileOrder() {
        #expect(services("hello") == ["greet", "exact"])
        #expect(services("HELLO v2.1 and some") == ["greet", "version"])
    }

    @Test func lengthFieldIsInclusive() {
        #expect(services("hello" + String(repeating: ".", count: 14)) == ["greet"])  // 19 bytes
        #expect(services("hello" + String(repeating: ".", count: 15)) == ["greet", "greet-long"])  // 20
        #expect(services("hello" + String(repeating: ".", count: 25)) == ["greet", "greet-long"])  // 30
        #expect(services("hello" + String(repeating: ".", count: 26)) == ["greet"])  // 31
        #expect(services("hellO") == ["greet", "exact"])
        #expect(services("hello!") == ["greet"])
    }

    @Test func triggerRestrictionNeedsTheSendingProbe() {
        #expect(services("hello", probe: "knock") == ["greet", "exact", "after-knock"])
        #expect(services("hello", probe: "ring") == ["greet", "exact", "after-knock"])
        #expect(services("hello", probe: "Knock") == ["greet", "exact"])
    }

    @Test func transportMustBeAmongTheLines() {
        #expect(services("hello", transport: .udp) == ["exact", "udp-only"])
    }

    @Test func caretMatchesAfterEveryNewlineCaselessAndDotMatchesNewline() {
        // ^ after a newline (MULTILINE), "ok" in any case (CASELESS), "." across "\n" (DOTALL).
        #expect(services("banner line\nok\ndone") == ["multi"])
        #expect(!services("banner line ok\ndone").contains("multi"))
    }

    @Test func evidenceNamesProbeLineAndCaptures() throws {
        let hits = matcher.identify(AppdefsText.bytes("x\nHello v10.\u{1}\\"), probe: probe("knock"), transport: .tcp,
                                    tunnelled: true)
        let hit = try #require(hits.first { $0.service == "version" })
        #expect(hit.evidence.probeName == "knock")
        #expect(hit.evidence.signature == AmapModel.SourceLocation(file: "test.resp", line: 8, column: 1))
        #expect(hit.evidence.matchedViaProbe == nil)
        #expect(hit.evidence.captures == ["10", "\\x01", ""])
        #expect(hit.isTunnelled)
        #expect(!hit.isSoft)
        #expect(hit.version.isEmpty)
    }

    @Test func emptyResponseMatchesNothing() {
        let anything = AmapMatcher(database: AppdefsText.responses("any::::.?").database)
        #expect(anything.identify([], probe: probe("x"), transport: .tcp, tunnelled: false).isEmpty)
        #expect(anything.identify([0], probe: probe("x"), transport: .tcp, tunnelled: false).count == 1)
    }

    @Test func binaryResponsesMatch() {
        let binary = AmapMatcher(database: AppdefsText.responses("bin::::^\\x00\\x01..\\xfe").database)
        let hits = binary.identify([0x00, 0x01, 0x0A, 0x00, 0xFE], probe: probe("x"), transport: .udp,
                                   tunnelled: false)
        #expect(hits.map(\.service) == ["bin"])
    }

    @Test func anEchoHitIsReturnedAlone() throws {
        let echoing = AmapMatcher(database: AppdefsText.responses("""
            first::::^PING
            echo:pinger:::^PING\\r\\n$
            last::::PING
            """).database)
        let sent = probe("pinger")
        let hits = echoing.identify(AppdefsText.bytes("PING\r\n"), probe: sent, transport: .tcp, tunnelled: false)
        #expect(hits.map(\.service) == ["echo"])
        #expect(hits.first?.evidence.signature.line == 2)
        // Without the echo line's trigger, every other hit comes back.
        let other = echoing.identify(AppdefsText.bytes("PING\r\n"), probe: probe("x"), transport: .tcp,
                                     tunnelled: false)
        #expect(other.map(\.service) == ["first", "last"])
    }

    @Test func signatureOrderDecidesNotService() {
        let reordered = AmapMatcher(signatures: database.responseSignatures.reversed())
        let hits = reordered.identify(AppdefsText.bytes("hello"), probe: probe("x"), transport: .tcp, tunnelled: false)
        #expect(hits.map(\.service) == ["exact", "greet"])
    }
}
