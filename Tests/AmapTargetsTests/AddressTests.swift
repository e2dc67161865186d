import Testing

@testable import AmapTargets

@Suite struct IPv4AddressTests {
    @Test func parsesDottedQuad() throws {
        let address = try #require(IPv4Address(parsing: "127.0.0.1"))
        #expect(address.value == 0x7F00_0001)
        #expect(address.description == "127.0.0.1")
        #expect(IPv4Address(parsing: "255.255.255.255")?.value == .max)
        #expect(IPv4Address(parsing: "0.0.0.0")?.value == 0)
    }

    @Test(arguments: ["127.0.0", "127.0.0.1.2", "127.0.0.256", "127.0.0.01", "127..0.1", "", "a.b.c.d", "127.0.0.1 "])
    func refusesMalformed(_ text: String) {
        #expect(IPv4Address(parsing: text) == nil)
    }
}

@Suite struct IPv6AddressTests {
    @Test func parsesLoopbackAndUnspecified() throws {
        let loopback = try #require(IPv6Address(parsing: "::1"))
        #expect(loopback.high == 0 && loopback.low == 1)
        let zero = try #require(IPv6Address(parsing: "::"))
        #expect(zero.high == 0 && zero.low == 0)
        #expect(zero.description == "::")
    }

    @Test func parsesFullFormAndPrintsCanonical() throws {
        let address = try #require(IPv6Address(parsing: "2001:0DB8:0000:0000:0000:0000:0000:0001"))
        #expect(address.high == 0x2001_0DB8_0000_0000)
        #expect(address.low == 1)
        #expect(address.description == "2001:db8::1")
    }

    @Test func compressesLongestZeroRunFirstOnTie() throws {
        // RFC 5952 §4.2.3: the first of two equal longest runs is compressed.
        #expect(IPv6Address(parsing: "2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        // A single zero group is not compressed (§4.2.2).
        #expect(IPv6Address(parsing: "2001:db8:0:1:1:1:1:1")?.description == "2001:db8:0:1:1:1:1:1")
        #expect(IPv6Address(parsing: "2001:db8:0:0:0:1:0:0")?.description == "2001:db8::1:0:0")
        #expect(IPv6Address(parsing: "1::")?.description == "1::")
    }

    @Test func parsesEmbeddedIPv4() throws {
        let mapped = try #require(IPv6Address(parsing: "::ffff:127.0.0.1"))
        #expect(mapped.low == 0xFFFF_7F00_0001)
        #expect(mapped.description == "::ffff:127.0.0.1")
        #expect(IPv6Address(parsing: "64:ff9b::192.0.2.33")?.description == "64:ff9b::c000:221")
    }

    @Test(arguments: [
        ":::1", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1", "1:", "12345::", "g::1", "::1.2.3",
        "1:2:3:4:5:6:7::8", "[::1]", "::1%eth0", "",
    ])
    func refusesMalformed(_ text: String) {
        #expect(IPv6Address(parsing: text) == nil)
    }

    @Test func roundTripsThroughItsText() throws {
        for text in ["::1", "2001:db8::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "1::8"] {
            let address = try #require(IPv6Address(parsing: text))
            #expect(address.description == text)
            #expect(IPv6Address(parsing: address.description) == address)
        }
    }
}

@Suite struct HostNameTests {
    @Test(arguments: ["localhost", "example.test", "a-b.c_d.example.", "x1", "node-7"])
    func acceptsNames(_ name: String) {
        #expect(HostName.isValid(name))
    }

    @Test(arguments: ["", "-a.example", "a-.example", "a..b", "1.2.3", "80", "bad name", "häst.example",
                      String(repeating: "a", count: 64) + ".example"])
    func refusesNonNames(_ name: String) {
        #expect(!HostName.isValid(name))
    }
}
