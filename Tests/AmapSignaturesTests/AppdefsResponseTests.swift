import AmapModel
import AmapSignatures
import Testing

@Suite struct AppdefsResponseTests {
    @Test func everyFieldOfAResponseLine() throws {
        let result = AppdefsText.responses("Foo Bar:Trig One,two:t:10,20:^Hello: World \\d+\n")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let signature = try #require(result.database.responseSignatures.first)
        #expect(signature.service == "foobar")
        #expect(signature.triggerNames == ["trigone", "two"])
        #expect(signature.transports == [.tcp])
        #expect(signature.lengthRange == 10...20)
        #expect(signature.strength == .hard)
        #expect(signature.pattern.source == AppdefsText.bytes("^Hello: World \\d+"))
        #expect(signature.pattern.options == .amap)
        #expect(signature.location == AmapModel.SourceLocation(file: "test.resp", line: 1, column: 1))
        #expect(result.database.probes.isEmpty)
    }

    @Test func emptyOptionalFieldsMeanAnything() throws {
        let result = AppdefsText.responses("any::::^x")
        let signature = try #require(result.database.responseSignatures.first)
        #expect(signature.triggerNames == nil)
        #expect(signature.lengthRange == nil)
        #expect(signature.transports == [.tcp, .udp])
    }

    @Test func protocols() {
        let result = AppdefsText.responses("""
            a::udp::x
            b::b::x
            c::Tcp::x
            """)
        #expect(result.database.responseSignatures.map(\.transports) == [[.udp], [.tcp, .udp], [.tcp]])
        let bad = AppdefsText.responses("d::raw::x")
        #expect(bad.database.responseSignatures.isEmpty)
        #expect(bad.errors.first?.location.column == 4)
    }

    @Test func exactLength() throws {
        let result = AppdefsText.responses("t:::4:.")
        #expect(result.database.responseSignatures.first?.lengthRange == 4...4)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func dashedLengthIsExactlyTheFirstNumberWithAWarning() throws {
        let result = AppdefsText.responses("day:::26 - 50:^\\w")
        #expect(result.database.responseSignatures.first?.lengthRange == 26...26)
        let warning = try #require(result.warnings.first)
        #expect(result.warnings.count == 1)
        #expect(warning.message.contains("exactly 26"))
        #expect(warning.message.contains("26,50"))
        #expect(warning.location.column == 10)
    }

    @Test func lengthErrors() throws {
        let cases: [(String, String, Int)] = [
            ("r:::20,10:x", "MIN must not exceed MAX", 5),
            ("r:::abc:x", "expected a length", 5),
            ("r:::1,2,3:x", "expected a length", 8),
            ("r:::,5:x", "found nothing", 5),
            ("r:::5,:x", "found nothing", 7),
            ("r:::1234567890:x", "too large", 5),
            ("r:::-5:x", "expected a length", 5),
        ]
        for (line, message, column) in cases {
            let result = AppdefsText.responses(line)
            #expect(result.database.responseSignatures.isEmpty, "\(line)")
            let error = try #require(result.singleError(), "\(line)")
            #expect(error.message.contains(message), "\(line): \(error.message)")
            #expect(error.location.column == column, "\(line)")
        }
    }

    @Test func regexIsTheRestOfTheLineUntouched() throws {
        let result = AppdefsText.responses("R:::: A:B:C \r\n")
        let signature = try #require(result.database.responseSignatures.first)
        #expect(signature.pattern.source == AppdefsText.bytes(" A:B:C "))
    }

    @Test func emptyRegexIsAnError() throws {
        let result = AppdefsText.responses("nothing::tcp::")
        #expect(result.database.responseSignatures.isEmpty)
        let error = try #require(result.singleError())
        #expect(error.message.contains("missing regex"))
        #expect(error.location.column == 15)
    }

    @Test func badRegexPointsIntoTheRegex() throws {
        let result = AppdefsText.responses("broken::tcp::ab(cd")
        let error = try #require(result.singleError())
        #expect(error.message.contains("bad regex"))
        // The regex starts at column 14; PCRE2 reports the offset at its end (5).
        #expect(error.location.column == 14 + 5)
    }

    @Test func regexMatchingEmptyStringLoadsWithAWarning() throws {
        let result = AppdefsText.responses("greedy::::.*")
        #expect(result.database.responseSignatures.count == 1)
        #expect(result.warnings.count == 1)
        #expect(result.errors.isEmpty)
    }

    @Test func triggerListEntriesAreNormalised() throws {
        let result = AppdefsText.responses("x:Alpha , ,BETA,:::^a")
        #expect(result.database.responseSignatures.first?.triggerNames == ["alpha", "beta"])
        #expect(result.warnings.map(\.location.column) == [10, 17])
    }

    @Test func regexIsCompiledForBinary() throws {
        let result = AppdefsText.responses("bin:::3:^\\x00\\xff.")
        let signature = try #require(result.database.responseSignatures.first)
        #expect(signature.pattern.matches([0x00, 0xFF, 0x0A]))
        #expect(!signature.pattern.matches([0x00, 0xFE, 0x0A]))
    }
}
