import AmapModel
import AmapSignatures
import Testing

@Suite struct AppdefsTriggerTests {
    @Test func stringTriggerWithEveryFieldAndEscape() throws {
        let result = AppdefsText.triggers(#"Web Probe:8080, 8000-8002:tcp:0:"GET /a\\b HTTP/1.0\r\n\tx\n""# + "\n")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let probe = try #require(result.database.probes.first)
        #expect(result.database.probes.count == 1)
        #expect(probe.name == "webprobe")
        #expect(probe.transport == .tcp)
        #expect(!probe.isHarmful)
        #expect(probe.payload == AppdefsText.bytes("GET /a\\b HTTP/1.0\r\n\tx\n"))
        #expect(probe.ports.ranges == [8000...8002, 8080...8080])
        #expect(probe.signatures.isEmpty)
        #expect(probe.location == AmapModel.SourceLocation(file: "test.trig", line: 1, column: 1))
    }

    @Test func dataFieldKeepsCaseSpacesAndColons() throws {
        let result = AppdefsText.triggers(#"X Y:::1:"Ab: Cd""#)
        let probe = try #require(result.database.probes.first)
        #expect(probe.name == "xy")
        #expect(probe.isHarmful)
        #expect(probe.payload == AppdefsText.bytes("Ab: Cd"))
    }

    @Test func stringRunsToTheLastQuoteOnTheLine() throws {
        let result = AppdefsText.triggers(#"q:::0:"say "hi" now""#)
        #expect(result.database.probes.first?.payload == AppdefsText.bytes(#"say "hi" now"#))
        #expect(result.diagnostics.isEmpty)
    }

    @Test func bothAndEmptyProtocolGiveOneProbePerTransport() {
        let result = AppdefsText.triggers("""
            alpha::both:0:"a"
            beta:::0:"b"
            gamma::UDP:0:"c"
            delta::u:1:"d"
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let shape = result.database.probes.map { "\($0.name)/\($0.transport)" }
        #expect(shape == ["alpha/tcp", "alpha/udp", "beta/tcp", "beta/udp", "gamma/udp", "delta/udp"])
        #expect(result.database.probes[0].location == result.database.probes[1].location)
    }

    @Test func protocolIsReadFromItsFirstLetterWithAWarningForOddSpellings() throws {
        let result = AppdefsText.triggers(#"odd::tango:0:"x""#)
        #expect(result.database.probes.map(\.transport) == [.tcp])
        let warning = try #require(result.warnings.first)
        #expect(warning.message.contains("tcp"))
        #expect(warning.location.column == 6)
    }

    @Test func unknownProtocolIsAnError() throws {
        let result = AppdefsText.triggers(#"odd::x:0:"x""#)
        #expect(result.database.probes.isEmpty)
        let error = try #require(result.singleError())
        #expect(error.location.column == 6)
        #expect(error.message.contains("tcp, udp, both"))
    }

    @Test func hexTriggerIgnoresBlanksAndCase() throws {
        let result = AppdefsText.triggers("bin::udp:0:0x41 4a\tfF 00")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.database.probes.first?.payload == [0x41, 0x4A, 0xFF, 0x00])
        let upper = AppdefsText.triggers("bin::udp:0:0X0a")
        #expect(upper.database.probes.first?.payload == [0x0A])
    }

    @Test func hexTriggerErrors() throws {
        let odd = AppdefsText.triggers("bin:::0:0x414")
        #expect(odd.database.probes.isEmpty)
        #expect(try #require(odd.singleError()).message.contains("even number"))

        let badDigit = AppdefsText.triggers("bin:::0:0x41zz")
        let error = try #require(badDigit.singleError())
        #expect(error.location.column == 13)
        #expect(error.message.contains("'z'"))

        let noMarker = AppdefsText.triggers("bin:::0:0414")
        #expect(try #require(noMarker.singleError()).location.column == 9)
    }

    @Test func onlyFourEscapesAreAllowed() throws {
        let result = AppdefsText.triggers(#"esc:::0:"ab\x41""#)
        let error = try #require(result.singleError())
        #expect(error.location.column == 12)
        #expect(error.message.contains("\\x"))
        #expect(result.database.probes.isEmpty)

        let quoteEscape = AppdefsText.triggers(#"esc:::0:"a\"b""#)
        #expect(quoteEscape.errors.count == 1)

        let dangling = AppdefsText.triggers(#"esc:::0:"a\""#)
        #expect(try #require(dangling.singleError()).message.contains("end of the string"))
    }

    @Test func missingOrUnterminatedDataIsAnError() throws {
        let missing = AppdefsText.triggers("none:::0:   ")
        #expect(try #require(missing.singleError()).message.contains("expected trigger data"))
        let open = AppdefsText.triggers(#"open:::0:"abc"#)
        #expect(try #require(open.singleError()).message.contains("closing"))
    }

    @Test func junkAroundTheDataOnlyWarns() throws {
        let result = AppdefsText.triggers(#"j:::0:xy"ab" tail"#)
        #expect(result.errors.isEmpty)
        #expect(result.database.probes.first?.payload == AppdefsText.bytes("ab"))
        #expect(result.warnings.map(\.location.column) == [7, 14])
    }

    @Test func emptyTriggerLoadsAsListenOnlyWithAWarning() throws {
        let result = AppdefsText.triggers(#"quiet:::0:"""#)
        let probe = try #require(result.database.probes.first)
        #expect(probe.isNull)
        #expect(result.warnings.count == 1)
    }

    @Test func harmfulFlagMustBeZeroOrOne() throws {
        for bad in ["2", "", "yes", "01"] {
            let result = AppdefsText.triggers("h:::\(bad):\"x\"")
            #expect(result.database.probes.isEmpty, "flag '\(bad)'")
            let error = try #require(result.singleError())
            #expect(error.message.contains("harmful flag 0 or 1"))
            #expect(error.location.column == 5)
        }
        #expect(AppdefsText.triggers("h::: 1 :\"x\"").database.probes.first?.isHarmful == true)
    }

    @Test func namesAreRequiredAndAtMostThirtyTwoCharacters() throws {
        let exactly32 = String(repeating: "n", count: 32)
        #expect(AppdefsText.triggers("\(exactly32):::0:\"x\"").database.probes.first?.name == exactly32)
        let tooLong = AppdefsText.triggers("\(exactly32)n:::0:\"x\"")
        let error = try #require(tooLong.singleError())
        #expect(error.location.column == 33)
        #expect(error.message.contains("33 characters"))
        // Spaces do not count: amap deletes them before measuring.
        #expect(AppdefsText.triggers("\(exactly32.prefix(16)) \(exactly32.prefix(16)):::0:\"x\"").errors.isEmpty)
        let missing = AppdefsText.triggers(" :::0:\"x\"")
        #expect(try #require(missing.singleError()).message.contains("missing trigger name"))
    }

    @Test func nonPrintableNameIsAnError() throws {
        let result = AppdefsText.triggers("na\u{7}me:::0:\"x\"")
        #expect(try #require(result.singleError()).location.column == 3)
    }

    @Test func tooFewFieldsIsAnError() throws {
        let result = AppdefsText.triggers("short::tcp:\"x\"")
        let error = try #require(result.singleError())
        #expect(error.message.contains("5 fields"))
        #expect(error.location == AmapModel.SourceLocation(file: "test.trig", line: 1, column: 15))
    }

    @Test func commentsBlankLinesAndCRLFAreHandled() {
        let text = "###V:1#header###\r\n# a comment: with colons\r\n\r\n  \t\r\none:::0:\"a\"\r\nplain words\r\ntwo:::0:0x42\r\n"
        let result = AppdefsText.triggers(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.database.probes.filter { $0.transport == .tcp }.map(\.payload) == [[0x61], [0x42]])
        #expect(result.database.probes.first?.location.line == 5)
        // The line without a colon is not a record; it is named so a typo does not vanish silently.
        #expect(result.warnings.map(\.location.line) == [6])
    }

    @Test func portHintProblemsWarnAndKeepTheTrigger() throws {
        let result = AppdefsText.triggers(#"p:80,,0,70000,90-85,abc,443:tcp:0:"x""#)
        #expect(result.errors.isEmpty)
        let probe = try #require(result.database.probes.first)
        #expect(probe.ports.ranges == [80...80, 443...443])
        #expect(result.warnings.count == 5)
        #expect(result.warnings.map(\.location.column) == [6, 7, 9, 15, 21])
    }

    @Test func overlongLinesAreSkippedAtAmapsLimit() throws {
        // 1,022 bytes + LF = 1,023: the most amap's fgets buffer holds with a newline.
        let head = "fits:::0:\""
        let fits = head + String(repeating: "a", count: 1_022 - head.count - 1) + "\""
        #expect(fits.utf8.count == 1_022)
        let tooLong = "long:::0:\"" + String(repeating: "a", count: 1_022 - head.count) + "\""
        let result = AppdefsText.triggers(fits + "\n" + tooLong + "\n" + "after:::0:\"z\"\n")
        #expect(result.database.probes.filter { $0.transport == .tcp }.map(\.name) == ["fits", "after"])
        let error = try #require(result.singleError())
        #expect(error.location.line == 2)
        #expect(error.message.contains("1024") || error.message.contains("1023"))
    }

    @Test func aNulByteIsAnErrorNotATruncation() throws {
        let bytes = AppdefsText.bytes("nul:::0:\"a") + [0] + AppdefsText.bytes("b\"\n")
        let result = AppdefsLoader.parseTriggers(bytes: bytes, fileName: "n.trig")
        #expect(result.database.probes.isEmpty)
        #expect(try #require(result.singleError()).location.column == 11)
    }

    @Test func repeatedNamesAreSeparateTriggersInFileOrder() {
        let result = AppdefsText.triggers("""
            rpcish::udp:0:"u"
            other::tcp:1:"o"
            rpcish::tcp:0:"t"
            """)
        let shape = result.database.probes.map { "\($0.name)/\($0.transport)/\($0.location.line)" }
        #expect(shape == ["rpcish/udp/1", "other/tcp/2", "rpcish/tcp/3"])
    }

    @Test func aBadLineIsSkippedAndTheRestLoads() {
        let result = AppdefsText.triggers("""
            good1:::0:"a"
            bad::q:0:"b"
            good2::t:0:"c"
            """)
        #expect(result.database.probes.map(\.name) == ["good1", "good1", "good2"])
        #expect(result.errors.map(\.location.line) == [2])
        #expect(result.errors.first?.description.hasPrefix("test.trig:2:6: error:") == true)
    }
}
