import Testing

@testable import AmapTargets

@Suite struct PositionalArgumentsTests {
    @Test func amapSyntaxOneTargetManyPorts() throws {
        let groups = try PositionalArguments.split(["127.0.0.1", "21", "80-82"])
        #expect(groups.count == 1)
        #expect(groups[0].targets.map(\.text) == ["127.0.0.1"])
        #expect(groups[0].ports.tcp.ranges == [21...21, 80...82])
    }

    @Test func consecutiveTargetsShareTheFollowingPorts() throws {
        let groups = try PositionalArguments.split(["h1", "h2", "22", "80", "h3", "443"])
        #expect(groups.map { $0.targets.map(\.text) } == [["h1", "h2"], ["h3"]])
        #expect(groups[0].ports.tcp.ranges == [22...22, 80...80])
        #expect(groups[1].ports.tcp.ranges == [443...443])
    }

    @Test func amapQuirkOfReadingAnAddressAsAPortIsNotReproduced() throws {
        // amap 5.4 scans port 127 for `amap h1 127.0.0.2 22`; here 127.0.0.2 is a second target.
        let groups = try PositionalArguments.split(["localhost", "127.0.0.2", "22"])
        #expect(groups.count == 1)
        #expect(groups[0].targets.map(\.text) == ["localhost", "127.0.0.2"])
        #expect(groups[0].ports.tcp.ranges == [22...22])
    }

    @Test func udpDefaultAndPrefixes() throws {
        let groups = try PositionalArguments.split(["::1", "53", "T:22"], defaultTransport: .udp)
        #expect(groups[0].ports.udp.ranges == [53...53])
        #expect(groups[0].ports.tcp.ranges == [22...22])
    }

    @Test func missingPortsUseDefaultsOrFail() throws {
        #expect(throws: TargetSpecError.missingPorts(target: "127.0.0.1")) {
            try PositionalArguments.split(["127.0.0.1"])
        }
        #expect(throws: TargetSpecError.missingPorts(target: "h3")) {
            try PositionalArguments.split(["h1", "22", "h3"])
        }
        // Issue 12: a word after the target that is no port is named, not taken for a second target silently.
        #expect(throws: TargetSpecError.notTargetOrPort(token: "abc", target: "127.0.0.1")) {
            try PositionalArguments.split(["127.0.0.1", "abc"])
        }
        let defaults = try PortList.parse("22,80")
        let groups = try PositionalArguments.split(["h1", "443", "h2", "h3"], defaultPorts: defaults)
        #expect(groups[0].ports.tcp.ranges == [443...443])
        #expect(groups[1].targets.map(\.text) == ["h2", "h3"])
        #expect(groups[1].ports == defaults)
    }

    @Test func firstArgumentMustBeATarget() {
        #expect(throws: TargetSpecError.expectedTarget(token: "80")) { try PositionalArguments.split(["80", "h1"]) }
    }

    @Test func errorsComeFromTheRightParser() {
        #expect(throws: TargetSpecError.reversedRange(token: "90-80", low: 90, high: 80)) {
            try PositionalArguments.split(["127.0.0.1", "90-80"])
        }
        #expect(throws: TargetSpecError.portOutOfRange(token: "65536", value: "65536")) {
            try PositionalArguments.split(["127.0.0.1", "65536"])
        }
        #expect(throws: TargetSpecError.tooManyAddresses(token: "0.0.0.0/0", count: 1 << 32, limit: 1 << 24)) {
            try PositionalArguments.split(["0.0.0.0/0", "80"])
        }
        #expect(throws: Never.self) { try PositionalArguments.split(["0.0.0.0/0", "80"], allowHuge: true) }
        #expect(throws: TargetSpecError.self) { try PositionalArguments.split(["127.0.0.300", "80"]) }
    }

    @Test func emptyArgumentsGiveNoGroups() throws {
        #expect(try PositionalArguments.split([]).isEmpty)
    }
}
