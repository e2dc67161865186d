import Testing

@testable import AmapTargets

@Suite struct TargetSpecTests {
    private func hosts(_ token: String, allowHuge: Bool = false) throws -> [String] {
        Array(try TargetSpec.parse(token, allowHuge: allowHuge).hosts)
    }

    @Test func singleAddressesAndNames() throws {
        #expect(try hosts("127.0.0.1") == ["127.0.0.1"])
        #expect(try hosts("localhost") == ["localhost"])
        let name = try TargetSpec.parse("localhost")
        #expect(name.kind == .hostName("localhost"))
    }

    @Test func cidrEdgeCases() throws {
        #expect(try hosts("127.0.0.1/32") == ["127.0.0.1"])
        #expect(try hosts("127.0.0.1/31") == ["127.0.0.0", "127.0.0.1"])
        // Host bits are cleared; network and broadcast addresses are included.
        #expect(try hosts("127.0.0.5/30") == ["127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"])
        let slash20 = try TargetSpec.parse("127.1.18.9/20")
        #expect(slash20.addressCount == 4096)
        #expect(slash20.host(at: 0) == "127.1.16.0")
        #expect(slash20.host(at: 4095) == "127.1.31.255")
        #expect(try TargetSpec.parse("127.0.0.0/8").addressCount == 1 << 24)
    }

    @Test func slashZeroNeedsAllowHuge() throws {
        #expect(throws: TargetSpecError.tooManyAddresses(token: "0.0.0.0/0", count: 1 << 32, limit: 1 << 24)) {
            try TargetSpec.parse("0.0.0.0/0")
        }
        #expect(throws: TargetSpecError.tooManyAddresses(token: "10.0.0.0/7", count: 1 << 25, limit: 1 << 24)) {
            try TargetSpec.parse("10.0.0.0/7")
        }
        let all = try TargetSpec.parse("0.0.0.0/0", allowHuge: true)
        #expect(all.addressCount == 1 << 32)
        #expect(all.host(at: 0) == "0.0.0.0")
        #expect(all.host(at: (1 << 32) - 1) == "255.255.255.255")
        #expect(all.host(at: 0x7F00_0001) == "127.0.0.1")
    }

    @Test func octetRanges() throws {
        #expect(try hosts("127.0.0.1-5") == (1...5).map { "127.0.0.\($0)" })
        #expect(try hosts("127.0.1,3.7") == ["127.0.1.7", "127.0.3.7"])
        #expect(try hosts("127.0.0-1.1-2") == ["127.0.0.1", "127.0.0.2", "127.0.1.1", "127.0.1.2"])
        #expect(try hosts("127.0.0.250-") == (250...255).map { "127.0.0.\($0)" })
        #expect(try TargetSpec.parse("127.0.0.*").addressCount == 256)
        #expect(try hosts("127.0.0.3,1,3") == ["127.0.0.1", "127.0.0.3"])
    }

    @Test func ipv6Forms() throws {
        #expect(try hosts("::1") == ["::1"])
        #expect(try hosts("[::1]") == ["::1"])
        #expect(try hosts("::1/128") == ["::1"])
        #expect(try hosts("[::1]/128") == ["::1"])
        #expect(try hosts("0:0:0:0:0:0:0:1") == ["::1"])
        #expect(try hosts("::/126") == ["::", "::1", "::2", "::3"])
        #expect(try hosts("fe80::1%lo") == ["fe80::1%lo"])
        let wide = try TargetSpec.parse("2001:db8::/65", allowHuge: true)
        #expect(wide.addressCount == 1 << 63)
        #expect(wide.host(at: (1 << 63) - 1) == "2001:db8::7fff:ffff:ffff:ffff")
    }

    @Test func ipv6TooWideToEnumerate() {
        let expected = TargetSpecError.notEnumerable(token: "::/64")
        #expect(throws: expected) { try TargetSpec.parse("::/64", allowHuge: true) }
        #expect(throws: TargetSpecError.notEnumerable(token: "::/0")) { try TargetSpec.parse("::/0", allowHuge: true) }
        #expect(throws: TargetSpecError.tooManyAddresses(token: "::/100", count: 1 << 28, limit: 1 << 24)) {
            try TargetSpec.parse("::/100")
        }
    }

    @Test func prefixErrors() {
        #expect(throws: TargetSpecError.prefixOutOfRange(token: "127.0.0.1/33", prefix: "33", maximum: 32)) {
            try TargetSpec.parse("127.0.0.1/33")
        }
        #expect(throws: TargetSpecError.prefixOutOfRange(token: "::1/129", prefix: "129", maximum: 128)) {
            try TargetSpec.parse("::1/129")
        }
        #expect(throws: TargetSpecError.prefixOutOfRange(token: "127.0.0.1/", prefix: "", maximum: 32)) {
            try TargetSpec.parse("127.0.0.1/")
        }
        #expect(throws: TargetSpecError.prefixOutOfRange(token: "[::1]/x", prefix: "x", maximum: 128)) {
            try TargetSpec.parse("[::1]/x")
        }
    }

    @Test(arguments: [
        "127.0.0.256", "127.0.0", "127.0.0.1.1", "127.0.0.5-1", "127.0.0.01", "127.0.0.1-5/30", "::1::2",
        "[::1", "[::1]:22", "127.0.0.1:80", "localhost/24", "bad name", "fe80::1%", "::1%lo/128", "",
    ])
    func refusesBadTargets(_ token: String) {
        #expect(throws: TargetSpecError.self) { try TargetSpec.parse(token) }
    }

    @Test func addressErrorsExplainThemselves() throws {
        func message(_ token: String) -> String {
            do {
                _ = try TargetSpec.parse(token)
                return ""
            } catch {
                return error.description
            }
        }
        #expect(message("127.0.0.256").contains("'127.0.0.256'"))
        #expect(message("127.0.0.256").contains("octet '256'"))
        #expect(message("127.0.0.5-1").contains("reversed"))
        #expect(message("127.0.0.1:80").contains("separate argument"))
        #expect(message("localhost/24").contains("needs an address"))
        #expect(message("").contains("empty target"))
        #expect(message("0.0.0.0/0").contains("confirmation"))
    }
}
