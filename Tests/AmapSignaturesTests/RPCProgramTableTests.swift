import AmapSignatures
import Foundation
import Testing

/// The shipped ONC RPC program table (`Resources/rpc-programs.txt`): well formed, no duplicates, and the
/// programs fixed by RFCs carry their RFC numbers.
@Suite struct RPCProgramTableTests {
    /// Parsed `name number` lines; a line that does not parse is returned in `bad`.
    static func load() throws -> (entries: [(name: String, number: UInt32)], bad: [String]) {
        let signatures = try #require(BuiltinDatabase.directory)
        let url = signatures.deletingLastPathComponent().appendingPathComponent("rpc-programs.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var entries: [(name: String, number: UInt32)] = []
        var bad: [String] = []
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let fields = line.split(separator: " ")
            guard fields.count == 2, let number = UInt32(fields[1]) else {
                bad.append(String(rawLine))
                continue
            }
            entries.append((String(fields[0]), number))
        }
        return (entries, bad)
    }

    @Test func everyLineIsANameAndANumber() throws {
        let table = try Self.load()
        #expect(table.bad.isEmpty, "malformed lines: \(table.bad)")
        #expect(table.entries.count >= 40)
    }

    @Test func namesAndNumbersAreUnique() throws {
        let entries = try Self.load().entries
        #expect(Set(entries.map(\.number)).count == entries.count)
        #expect(Set(entries.map(\.name)).count == entries.count)
    }

    @Test func programsFixedByRFCsHaveTheirNumbers() throws {
        let byName = Dictionary(uniqueKeysWithValues: try Self.load().entries.map { ($0.name, $0.number) })
        // RFC 1833 §3 (portmapper), RFC 1813 §2.1 / Appendix I / Appendix II (NFS, MOUNT, NLM).
        #expect(byName["rpcbind"] == 100_000)
        #expect(byName["nfs"] == 100_003)
        #expect(byName["mountd"] == 100_005)
        #expect(byName["nlockmgr"] == 100_021)
        #expect(byName["status"] == 100_024)
    }
}
