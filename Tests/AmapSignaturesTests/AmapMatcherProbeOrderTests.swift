import AmapSignatures
import Testing

@Suite struct AmapMatcherProbeOrderTests {
    private let probes = AppdefsText.triggers("""
        first::tcp:0:"1"
        Second:9000:tcp:1:"2"
        third:9000,9100-9200:both:0:"3"
        fourth::udp:1:"4"
        fifth:25:tcp:0:"5"
        """).database.probes

    private func order(_ transport: Transport, _ port: UInt16, _ selection: ProbeSelection = ProbeSelection())
        -> [String]
    {
        AmapProbeOrder.probes(probes, transport: transport, port: port, selection: selection).map(\.name)
    }

    @Test func fileOrderWithoutHints() {
        #expect(order(.tcp, 80) == ["first", "second", "third", "fifth"])
        #expect(order(.udp, 80) == ["third", "fourth"])
    }

    @Test func hintedTriggersGoFirstInFileOrder() {
        #expect(order(.tcp, 9000) == ["second", "third", "first", "fifth"])
        #expect(order(.tcp, 9150) == ["third", "first", "second", "fifth"])
        #expect(order(.tcp, 25) == ["fifth", "first", "second", "third"])
        #expect(order(.udp, 9100) == ["third", "fourth"])
    }

    @Test func skipHarmful() {
        #expect(order(.tcp, 9000, ProbeSelection(skipHarmful: true)) == ["third", "first", "fifth"])
        #expect(order(.udp, 1, ProbeSelection(skipHarmful: true)) == ["third"])
    }

    @Test func onlyProbeNamedIsCaseSensitiveAgainstTheLowercasedName() {
        #expect(order(.tcp, 1, ProbeSelection(onlyProbeNamed: "second")) == ["second"])
        #expect(order(.tcp, 1, ProbeSelection(onlyProbeNamed: "Second")).isEmpty)
        #expect(order(.udp, 1, ProbeSelection(onlyProbeNamed: "third")) == ["third"])
    }

    @Test func plannerUsesTheSameOrderInsideAndOutsideTLS() {
        let planner = AmapProbePlanner(database: SignatureDatabase(probes: probes))
        let plain = planner.plan(port: 25, transport: .tcp, tunnelled: false, softMatchedService: nil).map(\.name)
        let tls = planner.plan(port: 25, transport: .tcp, tunnelled: true, softMatchedService: "x").map(\.name)
        #expect(plain == ["fifth", "first", "second", "third"])
        #expect(tls == plain)
    }
}
