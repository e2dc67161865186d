import AmapModel
import AmapSignatures
import Testing

@Suite struct AppdefsRPCTests {
    @Test func entriesInFileOrder() throws {
        let result = AppdefsText.rpc("""
            # made-up programs
            Alpha Prog:::0:200100
            beta:::0: 4294967295\t
            alpha prog:::0:200101
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let programs = result.database.rpcPrograms
        #expect(programs.map(\.name) == ["alphaprog", "beta", "alphaprog"])
        #expect(programs.map(\.number) == [200_100, 4_294_967_295, 200_101])
        #expect(programs.first?.location == AmapModel.SourceLocation(file: "test.rpc", line: 2, column: 1))
    }

    @Test func badNumbers() throws {
        let cases: [(String, String, Int)] = [
            ("p:::0:", "found nothing", 7),
            ("p:::0:12ab", "found '12ab'", 9),
            ("p:::0:4294967296", "larger than", 7),
            ("p:::0:-1", "found '-1'", 7),
        ]
        for (line, message, column) in cases {
            let result = AppdefsText.rpc(line)
            #expect(result.database.rpcPrograms.isEmpty, "\(line)")
            let error = try #require(result.singleError(), "\(line)")
            #expect(error.message.contains(message), "\(line): \(error.message)")
            #expect(error.location.column == column, "\(line)")
        }
    }

    @Test func ignoredFieldsWarn() throws {
        let result = AppdefsText.rpc("p:111:udp:1:300000")
        #expect(result.database.rpcPrograms.map(\.number) == [300_000])
        #expect(result.warnings.map(\.location.column) == [3, 7, 11])
        #expect(AppdefsText.rpc("p:::7:300000").errors.count == 1)
    }
}
