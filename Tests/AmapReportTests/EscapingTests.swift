import Testing

@testable import AmapReport

@Suite struct EscapingTests {
    @Test func terminalEscapesControlsEscapeSequencesAndBackslash() {
        #expect(TerminalEscaping.escape("a\u{1B}[2Jb\u{00}c\u{7F}d\\e\r\n\t") == "a\\x1b[2Jb\\x00c\\x7fd\\\\e\\r\\n\\t")
    }

    @Test func terminalEscapesC1AndBidiButKeepsOtherUnicode() {
        #expect(TerminalEscaping.escape("\u{9B}31m") == "\\x9b31m")
        #expect(TerminalEscaping.escape("Bücher \u{202E}cba") == "Bücher \\u{202E}cba")
        #expect(TerminalEscaping.escape("日本\u{2028}") == "日本\\u{2028}")
    }

    @Test func terminalEscapesInvalidUTF8BytesAsHex() {
        // Lone continuation, overlong "/", CESU surrogate, truncated sequence, then valid "é".
        let bytes: [UInt8] = [0x80, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xE2, 0x82, 0x41, 0xC3, 0xA9]
        #expect(TerminalEscaping.escape(bytes: bytes) == "\\x80\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82Aé")
    }

    @Test func terminalBytesFormIsValidUTF8WithoutRawControls() {
        let bytes = (0...255).map(UInt8.init)
        let text = TerminalEscaping.escape(bytes: bytes)
        #expect(!text.unicodeScalars.contains { UnsafeScalars.mustEscape($0) })
        #expect(text.hasPrefix("\\x00\\x01"))
    }

    @Test func jsonEscapesPerRFC8259AndNeverEmitsRawControls() {
        let literal = JSONEscaping.quoted("\"q\" \\ \u{08}\u{0C}\n\r\t\u{00}\u{1B}[0m\u{7F}\u{85}\u{2029}\u{202E} é")
        let expected = "\"\\\"q\\\" \\\\ \\b\\f\\n\\r\\t\\u0000\\u001b[0m\\u007f\\u0085\\u2029\\u202e é\""
        #expect(literal == expected)
    }

    @Test func jsonTextFromBytesWritesInvalidBytesAsBackslashX() {
        let text = JSONEscaping.text(fromBytes: [0x41, 0xFF, 0x0D, 0x0A, 0x5C])
        #expect(text == "A\\xff\\r\\n\\\\")
        #expect(JSONEscaping.quoted(text) == "\"A\\\\xff\\\\r\\\\n\\\\\\\\\"")
    }

    @Test func xmlEscapesEntitiesAndControls() {
        #expect(XMLEscaping.escape("<a href=\"x\">'&'</a>")
            == "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;")
        #expect(XMLEscaping.escape("x\u{1B}]0;t\u{07}\\") == "x\\x1b]0;t\\x07\\\\")
        #expect(XMLEscaping.escape(bytes: [0x3C, 0xFE, 0x00]) == "&lt;\\xfe\\x00")
        #expect(XMLEscaping.escape("a\u{FFFE}b\u{FFFF}") == "a\\u{FFFE}b\\u{FFFF}")
    }
}
