import AmapModel
import AmapSignatures
import Testing

/// Version templates expanded against real PCRE2 matches; every expected value is worked out by hand from the
/// format's rules (see the comments).
@Suite struct VersionTemplateExpansionTests {
    /// Runs `pattern` over `subject` and expands `templates` with the match.
    func expand(
        _ templates: VersionTemplates,
        pattern: String,
        options: PatternOptions = [],
        subject: [UInt8]
    ) throws -> VersionTemplateExpansion {
        let compiled = try CompiledPattern(pattern, options: options)
        guard case .matched(let match) = compiled.firstMatch(in: subject) else {
            Issue.record("pattern \(pattern) did not match")
            return VersionTemplateExpansion(version: VersionInfo())
        }
        return templates.expandReportingWarnings(match, subject: subject)
    }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func groupsAreCopied() throws {
        // $2 = "9.2p1" (up to the space), $1 = "2.0".
        let templates = VersionTemplates(product: bytes("OpenSSH"), version: bytes("$2"), info: bytes("protocol $1"))
        let result = try expand(templates, pattern: #"^SSH-([\d.]+)-OpenSSH_(\S+)"#,
                                subject: bytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"))
        #expect(result.version == VersionInfo(product: "OpenSSH", version: "9.2p1", info: "protocol 2.0"))
        #expect(result.warnings.isEmpty)
        // The plain `expand` gives the same fields.
        let compiled = try CompiledPattern(#"^SSH-([\d.]+)-OpenSSH_(\S+)"#)
        let subject = bytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
        if case .matched(let match) = compiled.firstMatch(in: subject) {
            #expect(templates.expand(match, subject: subject).version == "9.2p1")
        } else {
            Issue.record("no match")
        }
    }

    @Test func onlyOneDigitIsAGroupNumber() throws {
        // "$10" is group 1 ("a") followed by a literal "0".
        let result = try expand(VersionTemplates(version: bytes("$10")), pattern: "^(a)", subject: bytes("a"))
        #expect(result.version.version == "a0")
    }

    @Test func aGroupThatDidNotTakePartEmptiesTheField() throws {
        // Group 1 is optional and absent in "220 ready"; group 4 does not exist; $0 is not a group.
        let templates = VersionTemplates(product: bytes("Acme"), version: bytes("v$1"), hostname: bytes("$4"),
                                         operatingSystem: bytes("$0"))
        let result = try expand(templates, pattern: #"^220 (?:(\w+) )?ready"#, subject: bytes("220 ready"))
        #expect(result.version == VersionInfo(product: "Acme"))
        #expect(result.warnings.count == 3)
        #expect(result.warnings.contains { $0.hasPrefix("v:") && $0.contains("group 1") })
    }

    @Test func printableHelperDropsNonPrintableBytes() throws {
        // Capture: W \0 O \0 R \0 K \0 0x7F G 0xE9. isprint keeps 0x20...0x7E: W O R K G -> "WORKG".
        var subject = bytes("N:")
        subject += [0x57, 0, 0x4F, 0, 0x52, 0, 0x4B, 0, 0x7F, 0x47, 0xE9]
        let result = try expand(VersionTemplates(info: bytes("domain $P(1)")), pattern: "^N:(.*)$", options: .dotAll,
                                subject: subject)
        #expect(result.version.info == "domain WORKG")
    }

    @Test func substituteReplacesLiterallyLeftToRight() throws {
        // "1_2_3" with "_" -> "." gives "1.2.3".
        var result = try expand(VersionTemplates(version: bytes(#"$SUBST(1,"_",".")"#)), pattern: #"^V(\S+)"#,
                                subject: bytes("V1_2_3"))
        #expect(result.version.version == "1.2.3")
        // Non-overlapping, left to right: "aaa" with "aa" -> "b" gives "b" + "a" = "ba".
        result = try expand(VersionTemplates(version: bytes(#"$SUBST(1,"aa","b")"#)), pattern: "^(a+)",
                            subject: bytes("aaa"))
        #expect(result.version.version == "ba")
        // Arguments are C-escaped and may have spaces around them: "\x2d" is "-" and "\t" a tab: "a\tb".
        result = try expand(VersionTemplates(version: bytes(#"$SUBST( 1 , "\x2d" , "\t" )"#)), pattern: "^(.*)$",
                            subject: bytes("a-b"))
        #expect(result.version.version == "a\tb")
        // The regex special characters of `find` mean nothing: "." replaces only dots.
        result = try expand(VersionTemplates(version: bytes(#"$SUBST(1,".","_")"#)), pattern: "^(.*)$",
                            subject: bytes("1.0x"))
        #expect(result.version.version == "1_0x")
    }

    @Test func integerHelperReadsBothByteOrders() throws {
        // Bytes 01 02: big-endian 0x0102 = 258, little-endian 0x0201 = 513.
        let templates = VersionTemplates(version: bytes(#"$I(1,">")"#), info: bytes(#"$I(1,"<")"#))
        var result = try expand(templates, pattern: #"^\xff(..)"#, options: .dotAll, subject: [0xFF, 0x01, 0x02])
        #expect(result.version.version == "258")
        #expect(result.version.info == "513")
        // Eight 0xFF bytes: 2^64 - 1 = 18446744073709551615.
        result = try expand(VersionTemplates(version: bytes(#"$I(1,">")"#)), pattern: #"^(\xff{8})"#,
                            subject: [UInt8](repeating: 0xFF, count: 8))
        #expect(result.version.version == "18446744073709551615")
        // Nine bytes do not fit in 64 bits: the field is dropped.
        result = try expand(VersionTemplates(version: bytes(#"$I(1,">")"#)), pattern: #"^(\xff{9})"#,
                            subject: [UInt8](repeating: 0xFF, count: 9))
        #expect(result.version.version == nil)
        #expect(result.warnings.count == 1)
    }

    @Test func badHelpersEmptyTheField() throws {
        let cases = ["$Q(1)", "cost $", "$P()", #"$SUBST(1,"a")"#, #"$SUBST(1,"","x")"#, #"$I(1,"=")"#,
                     "$P(1", #"$SUBST(1,"a,"b")"#, "$P(x)", "$P(10)"]
        for template in cases {
            let result = try expand(VersionTemplates(product: bytes("Acme"), version: bytes(template)),
                                    pattern: "^(abc)", subject: bytes("abc"))
            #expect(result.version.version == nil, "\(template)")
            #expect(result.version.product == "Acme", "the other fields are kept (\(template))")
            #expect(result.warnings.count == 1, "\(template)")
        }
    }

    @Test func trailingWhitespaceAndCommasAreTrimmed() throws {
        // "1.0" + " " (rest of capture) + ", " + "\t" -> trailing " , \t" removed -> "1.0".
        var result = try expand(VersionTemplates(version: bytes("$1, \t")), pattern: "^V=([^;]*)",
                                subject: bytes("V=1.0 ;"))
        #expect(result.version.version == "1.0")
        // A field that is empty after trimming is nil, without a warning.
        result = try expand(VersionTemplates(version: bytes("$1,")), pattern: "^V=([^;]*)", subject: bytes("V=;"))
        #expect(result.version.version == nil)
        #expect(result.warnings.isEmpty)
    }

    @Test func fieldsLongerThanTheirBufferAreDropped() throws {
        // nmap's buffers hold a C string: 80 bytes -> at most 79 of text, 256 -> 255, 32 -> 31.
        func literal(_ count: Int) -> [UInt8] { [UInt8](repeating: UInt8(ascii: "x"), count: count) }
        var templates = VersionTemplates(product: literal(79), version: literal(80), info: literal(255),
                                         hostname: literal(80), operatingSystem: literal(31), deviceType: literal(32))
        var result = try expand(templates, pattern: "^a", subject: bytes("a"))
        #expect(result.version.product?.utf8.count == 79)
        #expect(result.version.version == nil)
        #expect(result.version.info?.utf8.count == 255)
        #expect(result.version.hostname == nil)
        #expect(result.version.operatingSystem?.utf8.count == 31)
        #expect(result.version.deviceType == nil)
        #expect(result.warnings.count == 3)
        templates = VersionTemplates(info: literal(256))
        result = try expand(templates, pattern: "^a", subject: bytes("a"))
        #expect(result.version.info == nil)
        // Substituted text counts too: 10 literal + 70 captured = 80 > 79 -> dropped; 10 + 69 = 79 -> kept.
        let subject = [UInt8](repeating: UInt8(ascii: "y"), count: 70)
        result = try expand(VersionTemplates(product: literal(10) + bytes("$1")), pattern: "^(y+)", subject: subject)
        #expect(result.version.product == nil)
        result = try expand(VersionTemplates(product: literal(10) + bytes("$1")), pattern: "^(y+)",
                            subject: Array(subject.dropLast()))
        #expect(result.version.product?.utf8.count == 79)
    }

    @Test func cpeEscapesOnlySubstitutedText() throws {
        // Literal "Vendor" keeps its case; the capture "My Prod:2(x)" is lower-cased, the space becomes "_",
        // ":" -> %3A, "(" -> %28, ")" -> %29: "my_prod%3A2%28x%29".
        let templates = VersionTemplates(cpes: [bytes("cpe:/a:Vendor:$1")])
        let result = try expand(templates, pattern: "^N=(.*)$", subject: bytes("N=My Prod:2(x)"))
        #expect(result.version.cpes == ["cpe:/a:Vendor:my_prod%3A2%28x%29"])
    }

    @Test func cpeEncodesEveryReservedCharacter() throws {
        // Each reserved byte becomes % and its upper-case hex code; the tab becomes "_".
        let reserved = #":/?#[]@!$&'()*+,;=%<>""# + "\t"
        let expected = "cpe:/a:x:" + "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25%3C%3E%22" + "_"
        let result = try expand(VersionTemplates(cpes: [bytes("cpe:/a:x:$1")]), pattern: "^N=(.*)$",
                                subject: bytes("N=" + reserved))
        #expect(result.version.cpes == [expected])
    }

    @Test func cpeSlotsKeepTheLastTemplate() throws {
        // Slots a, o, a, h: the second `a` replaces the first; the order follows the surviving templates
        // (o at index 1, a at 2, h at 3); `x` is not a slot and is ignored with a warning.
        let templates = VersionTemplates(cpes: [bytes("cpe:/a:first"), bytes("cpe:/o:linux:linux_kernel"),
                                                bytes("cpe:/a:second:$1"), bytes("cpe:/h:acme"), bytes("cpe:/x:bad")])
        let result = try expand(templates, pattern: "^(V2)", subject: bytes("V2"))
        #expect(result.version.cpes == ["cpe:/o:linux:linux_kernel", "cpe:/a:second:v2", "cpe:/h:acme"])
        #expect(result.warnings.count == 1)
    }

    @Test func cpeLimitAppliesAfterEscaping() throws {
        // "cpe:/a:" (7) + 24 captured ":" each escaped to 3 bytes (72) = 79 -> kept; 25 -> 82 -> dropped.
        var result = try expand(VersionTemplates(cpes: [bytes("cpe:/a:$1")]), pattern: "^(:+)",
                                subject: [UInt8](repeating: UInt8(ascii: ":"), count: 24))
        #expect(result.version.cpes.first?.utf8.count == 79)
        result = try expand(VersionTemplates(cpes: [bytes("cpe:/a:$1")]), pattern: "^(:+)",
                            subject: [UInt8](repeating: UInt8(ascii: ":"), count: 25))
        #expect(result.version.cpes.isEmpty)
    }

    @Test func bytesBecomeUTF8TextWhenValidElseLatin1() throws {
        // 0xC3 0xA9 is UTF-8 "é": read as UTF-8 (not "Ã©"). A lone 0xE9 is not UTF-8: read as ISO-8859-1 "é".
        var result = try expand(VersionTemplates(product: bytes("$1")), pattern: #"^P=(\S+)"#,
                                subject: Array("P=Caf".utf8) + [0xC3, 0xA9, 0x2D] + Array("Server/1.0".utf8))
        #expect(result.version.product == "Caf\u{E9}-Server/1.0")
        result = try expand(VersionTemplates(product: bytes("$1")), pattern: #"^P=(\S+)"#,
                            subject: [0x50, 0x3D, 0x43, 0x61, 0x66, 0xE9])
        #expect(result.version.product == "Caf\u{E9}")
        // Invalid UTF-8 stays reversible: each byte is the code point of its value.
        result = try expand(VersionTemplates(product: bytes("$1")), pattern: #"^P=(\S+)"#,
                            subject: [0x50, 0x3D, 0xC3, 0x28])
        #expect(result.version.product?.unicodeScalars.map(\.value) == [0xC3, 0x28])
    }
}
