import AmapModel
import AmapSignatures
import Testing

/// Every way a line of nmap-service-probes can be wrong: reported with its location, skipped, never a crash.
@Suite struct ServiceProbesErrorTests {
    static let fileName = "bad-probes"

    static func load(_ text: String) throws -> LoadResult {
        try ServiceProbesLoader.load(bytes: Array(text.utf8), fileName: fileName)
    }

    /// Loads `text` and expects exactly one error, at `line`:`column`, whose message contains `words`.
    static func expectOneError(_ text: String, line: Int, column: Int, _ words: String,
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> LoadResult {
        let result = try load(text)
        #expect(result.errors.count == 1, "\(result.diagnostics)", sourceLocation: sourceLocation)
        if let error = result.errors.first {
            #expect(error.location == AmapModel.SourceLocation(file: fileName, line: line, column: column),
                    "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(words), "\(error.message)", sourceLocation: sourceLocation)
        }
        return result
    }

    @Test func lineStartingWithWhitespace() throws {
        let result = try Self.expectOneError("Probe TCP P q|x|\n match a m|^a|\nmatch b m|^b|\n", line: 2, column: 1,
                                             "starts with whitespace")
        #expect(result.database.probes[0].signatures.map(\.service) == ["b"], "the next line still loads")
    }

    @Test func unknownDirective() throws {
        _ = try Self.expectOneError("Probe TCP P q|x|\nrarety 3\n", line: 2, column: 1, "unknown directive 'rarety'")
        // Directives are case-sensitive and need their space.
        _ = try Self.expectOneError("Probe TCP P q|x|\nMatch a m|^a|\n", line: 2, column: 1, "unknown directive")
        _ = try Self.expectOneError("Probe TCP P q|x|\nports\t80\n", line: 2, column: 1, "unknown directive")
    }

    @Test func directiveBeforeAnyProbe() throws {
        _ = try Self.expectOneError("ports 80\nProbe TCP P q|x|\n", line: 1, column: 1, "must follow a Probe line")
    }

    @Test func badRegexFlag() throws {
        // Flags start right after the closing '|' at column 17.
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^abc|ix p/A/\n", line: 2, column: 17,
                                    "unknown regex flag 'x'")
        // A template glued to the flags reads as more flags.
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^abc|p/A/\n", line: 2, column: 16, "flag 'p'")
    }

    @Test func unterminatedRegexAndTemplate() throws {
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^abc\n", line: 2, column: 11, "not closed")
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^abc| p/Acme\n", line: 2, column: 19, "not closed")
        _ = try Self.expectOneError("Probe TCP P q|x\n", line: 1, column: 15, "no closing '|'")
    }

    @Test func badTemplates() throws {
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^a| z/q/\n", line: 2, column: 15,
                                    "unknown version template 'z'")
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^a| p/A/v/1/\n", line: 2, column: 20,
                                    "expected a space")
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^a| p\n", line: 2, column: 16, "delimiter after 'p'")
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a x|^a|\n", line: 2, column: 9, "expected the regex")
    }

    @Test func regexProblems() throws {
        // "(" opened at column 12 is never closed; PCRE2 reports offset 4, the end of "^(ab".
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^(ab|\n", line: 2, column: 15, "does not compile")
        _ = try Self.expectOneError("Probe TCP P q|x|\nmatch a m|^(ab)?|\n", line: 2, column: 11,
                                    "can match an empty response")
    }

    @Test func badRarityAndWaits() throws {
        for value in ["0", "10", "x", "", "-1"] {
            _ = try Self.expectOneError("Probe TCP P q|x|\nrarity \(value)\n", line: 2, column: 8, "rarity")
        }
        _ = try Self.expectOneError("Probe TCP P q|x|\ntotalwaitms 99\n", line: 2, column: 13, "between 100")
        _ = try Self.expectOneError("Probe TCP P q|x|\ntcpwrappedms 300001\n", line: 2, column: 14, "between 100")
        // nmap's atoi ignores trailing text: loaded, with a warning.
        let result = try Self.load("Probe TCP P q|x|\nrarity 4 # common\n")
        #expect(result.errors.isEmpty && result.diagnostics.count == 1)
        #expect(result.database.probes[0].rarity == 4)
    }

    @Test func unknownFallback() throws {
        let result = try Self.expectOneError("Probe TCP A q|a|\nfallback B,Nope\nProbe TCP B q|b|\n", line: 2,
                                             column: 12, "unknown fallback 'Nope'")
        #expect(result.database.probes[0].fallbackNames == ["B"], "the known name is kept")
    }

    @Test func eighteenFallbacksAreTooMany() throws {
        // "fallback " ends at column 9; "P1,"…"P9," take 3 bytes each and "P10,"…"P17," 4 each, so the 18th
        // name, "P18", starts at column 10 + 9*3 + 8*4 = 69.
        var text = "Probe TCP Main q|m|\nfallback " + (1...18).map { "P\($0)" }.joined(separator: ",") + "\n"
        for index in 1...18 { text += "Probe TCP P\(index) q|\(index)|\n" }
        let result = try Self.expectOneError(text, line: 2, column: 10 + 9 * 3 + 8 * 4, "at most 17")
        #expect(result.database.probes[0].fallbackNames.isEmpty)
    }

    @Test func excludeRules() throws {
        _ = try Self.expectOneError("Probe TCP P q|x|\nExclude 80\n", line: 2, column: 1, "before the first Probe")
        _ = try Self.expectOneError("Exclude 80\nExclude 81\n", line: 2, column: 1, "only one Exclude")
        _ = try Self.expectOneError("Exclude T:80,Q:81\n", line: 1, column: 14, "unknown protocol prefix 'Q:'")
        _ = try Self.expectOneError("Exclude 70000\n", line: 1, column: 9, "between 0 and 65535")
    }

    @Test func badPortSpecs() throws {
        _ = try Self.expectOneError("Probe TCP P q|x|\nports 80,x\n", line: 2, column: 10, "port list")
        _ = try Self.expectOneError("Probe TCP P q|x|\nports 90-80\n", line: 2, column: 10, "ends (80) before")
        _ = try Self.expectOneError("Probe TCP P q|x|\nsslports 65536\n", line: 2, column: 10, "between 0 and 65535")
        _ = try Self.expectOneError("Probe TCP P q|x|\nports 80 81\n", line: 2, column: 10, "unexpected '8'")
    }

    @Test func badProbeLines() throws {
        var result = try Self.expectOneError("Probe SCTP P q|x|\nmatch a m|^a|\nports 80\nProbe TCP Q q|y|\n",
                                             line: 1, column: 7, "'TCP' or 'UDP'")
        #expect(result.database.probes.map(\.name) == ["Q"], "the bad probe's body is skipped with it")
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.contains("2 line(s)") })
        _ = try Self.expectOneError("Probe TCP -x q|x|\n", line: 1, column: 11, "probe name")
        _ = try Self.expectOneError("Probe TCP Name\n", line: 1, column: 11, "after the probe name")
        _ = try Self.expectOneError("Probe TCP Name x|a|\n", line: 1, column: 16, "probe string q|")
        _ = try Self.expectOneError(#"Probe TCP Name q|\q|"# + "\n", line: 1, column: 18, #"unknown escape '\q'"#)
        _ = try Self.expectOneError(#"Probe TCP Name q|\x4|"# + "\n", line: 1, column: 18, "two hex digits")
        _ = try Self.expectOneError("Probe UDP Empty q||\n", line: 1, column: 1, "needs a payload")
        result = try Self.expectOneError("Probe TCP NULL q||\nProbe TCP Other q||\n", line: 2, column: 1,
                                         "second NULL probe")
        #expect(result.database.probes.count == 1)
    }

    @Test func overlongLine() throws {
        let long = "match a m|^" + String(repeating: "a", count: 8200) + "|\n"
        let result = try Self.expectOneError("Probe TCP P q|x|\n" + long + "match b m|^b|\n", line: 2, column: 8192,
                                             "at most 8191")
        #expect(result.database.probes[0].signatures.map(\.service) == ["b"])
    }

    @Test func strictModeThrowsEveryDiagnostic() throws {
        let text = Array("Probe TCP P q|x|\nrarity 0\nbogus\nmatch a m|^a|\n".utf8)
        do {
            _ = try ServiceProbesLoader.load(bytes: text, fileName: Self.fileName, strict: true)
            Issue.record("strict loading must throw")
        } catch {
            guard case .invalid(let path, let diagnostics) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == Self.fileName)
            #expect(diagnostics.map(\.location.line) == [2, 3])
            #expect(error.description.contains("bad-probes:2:8: error: rarity"))
        }
        // A clean file loads in strict mode.
        _ = try ServiceProbesLoader.load(bytes: Array("Probe TCP P q|x|\n".utf8), fileName: "ok", strict: true)
    }

    @Test func unreadableFileSaysWhy() {
        do {
            _ = try ServiceProbesLoader.load(path: "/nonexistent/nmap-service-probes")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("/nonexistent/nmap-service-probes"))
            #expect(error.description.contains("No such file"))
        }
    }

    static let grammarBytes = Array("|/\\$()\" ,-:0x\n".utf8)

    @Test func binaryJunkNeverCrashes() throws {
        // Deterministic pseudo-random bytes (a linear congruential generator), plus a valid prefix so the junk is
        // parsed as probe bodies, regexes and templates rather than rejected at the first byte.
        var state: UInt64 = 0x1234_5678
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let prefixes = ["Probe TCP J q|", "match a m|", "match a m|^x| p/", "ports ", "fallback ", "Exclude ",
                        "softmatch b m", "Probe UDP K q", "rarity ", "match ssl/x m=^y= cpe:/", ""]
        for round in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<20 {
                bytes += Array(prefixes[Int(next()) % prefixes.count].utf8)
                for _ in 0..<Int(next() % 40) {
                    let byte = next()
                    // Bias towards the bytes the grammar cares about.
                    bytes.append(next() % 3 == 0 ? Self.grammarBytes[Int(byte) % Self.grammarBytes.count] : byte)
                }
                bytes.append(UInt8(ascii: "\n"))
            }
            let result = try ServiceProbesLoader.load(bytes: bytes, fileName: "junk-\(round)")
            for diagnostic in result.diagnostics {
                #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1)
            }
        }
    }
}
