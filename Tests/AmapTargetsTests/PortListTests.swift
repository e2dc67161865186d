import Testing

@testable import AmapTargets

@Suite struct PortListTests {
    @Test func parsesAmapSingleAndRange() throws {
        #expect(try PortList.parse("22").tcp.ranges == [22...22])
        #expect(try PortList.parse("1-1024").tcp.ranges == [1...1024])
        #expect(try PortList.parse("53", defaultTransport: .udp).udp.ranges == [53...53])
        #expect(try PortList.parse("53", defaultTransport: .udp).tcp.isEmpty)
    }

    @Test func parsesCommaListsAndMerges() throws {
        let list = try PortList.parse("21,80,8000-8100,79,8050")
        #expect(list.tcp.ranges == [21...21, 79...80, 8000...8100])
        #expect(list.count == 1 + 2 + 101)
    }

    @Test func prefixesApplyUntilTheNextPrefix() throws {
        let list = try PortList.parse("U:53,111,T:21-25,80")
        #expect(list.udp.ranges == [53...53, 111...111])
        #expect(list.tcp.ranges == [21...25, 80...80])
        #expect(list.description == "T:21-25,80,U:53,111")
        let lower = try PortList.parse("t:22,u:161")
        #expect(lower.tcp.ranges == [22...22] && lower.udp.ranges == [161...161])
    }

    @Test func openEndedRanges() throws {
        #expect(try PortList.parse("65530-").tcp.ranges == [65530...65535])
        #expect(try PortList.parse("-3").tcp.ranges == [1...3])
        #expect(try PortList.parse("-").tcp.count == 65535)
    }

    @Test func errorsNameTheToken() {
        #expect(throws: TargetSpecError.portOutOfRange(token: "0", value: "0")) { try PortList.parse("0") }
        #expect(throws: TargetSpecError.portOutOfRange(token: "80,65536", value: "65536")) {
            try PortList.parse("80,65536")
        }
        #expect(throws: TargetSpecError.portOutOfRange(token: "99999999999999999999", value: "99999999999999999999")) {
            try PortList.parse("99999999999999999999")
        }
        let expected = TargetSpecError.reversedRange(token: "90-80", low: 90, high: 80)
        #expect(throws: expected) { try PortList.parse("90-80") }
        #expect(throws: TargetSpecError.empty(token: "", what: "port specification")) { try PortList.parse("") }
        #expect(throws: TargetSpecError.empty(token: "21,,80", what: "port item")) { try PortList.parse("21,,80") }
        #expect(throws: TargetSpecError.empty(token: "T:", what: "port item")) { try PortList.parse("T:") }
        #expect(throws: TargetSpecError.invalidPort(token: "X:22", item: "X:22")) { try PortList.parse("X:22") }
        #expect(throws: TargetSpecError.invalidPort(token: "2a", item: "2a")) { try PortList.parse("2a") }
    }

    @Test func messagesAreActionable() {
        #expect(TargetSpecError.reversedRange(token: "90-80", low: 90, high: 80).description.contains("write 80-90"))
        #expect(TargetSpecError.portOutOfRange(token: "0", value: "0").description.contains("1-65535"))
    }

    @Test func classifiesTokensByShape() {
        for port in ["22", "1-1024", "21,80", "T:22,U:53", "90-80", "-", "u:53"] {
            #expect(PortList.looksLikePortSpec(port), "\(port)")
        }
        for target in ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.0/30", "T:", "", "X:22", "h1"] {
            #expect(!PortList.looksLikePortSpec(target), "\(target)")
        }
    }
}
