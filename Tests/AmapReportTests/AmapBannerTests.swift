import Testing

@testable import AmapReport

@Suite struct AmapBannerTests {
    @Test func printableDropsColonsAndNonPrintablesAndEscapesWhitespace() {
        let bytes = Fixture.bytes("220 mail: ready\r\n\t\u{0B}\u{0C}a\\b") + [0x00, 0x1B, 0x7F, 0xC3, 0xA9] + [0x41]
        #expect(AmapBanner.printable(bytes) == "220 mail ready\\r\\n\\t\\v\\fa\\\\bA")
    }

    @Test func printableIsCutAt253CharactersWithoutSplittingAnEscape() {
        let plain = AmapBanner.printable([UInt8](repeating: 0x61, count: 400))
        #expect(plain.count == 253)
        // 252 letters then a newline: the two-character escape would make 254, so it is left out.
        let edge = AmapBanner.printable([UInt8](repeating: 0x61, count: 252) + [0x0A, 0x62])
        #expect(edge.count == 252)
        #expect(!edge.hasSuffix("\\"))
        let fits = AmapBanner.printable([UInt8](repeating: 0x61, count: 251) + [0x0A, 0x62])
        #expect(fits == String(repeating: "a", count: 251) + "\\n")
    }

    @Test func printableOfEmptyIsEmpty() {
        #expect(AmapBanner.printable([]) == "")
    }

    @Test func fullIsQuotedTextWhenOnlyPrintableAndWhitespace() {
        let bytes = Fixture.bytes("502 5.5.2 Error: \"x\"\r\n\t\u{0B}\u{0C}\\")
        #expect(AmapBanner.full(bytes) == "\"502 5.5.2 Error: \"x\"\\r\\n\\t\\v\\f\\\\\"")
    }

    @Test func fullIsHexWhenAnyByteIsNotText() {
        #expect(AmapBanner.full([0x4A, 0x00, 0x0A, 0xFF]) == "0x4a000aff")
        // A valid UTF-8 letter is still not ASCII text: amap writes hex.
        #expect(AmapBanner.full(Fixture.bytes("é")) == "0xc3a9")
        #expect(AmapBanner.full(Fixture.bytes("ok\u{1B}[2J")) == "0x6f6b1b5b324a")
    }

    @Test func fullOfEmptyIsEmpty() {
        #expect(AmapBanner.full([]) == "")
    }
}
