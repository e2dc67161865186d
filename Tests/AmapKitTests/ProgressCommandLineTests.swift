import Foundation
import Testing

/// `--stats-every` and the quiet default when stderr is not a terminal (the tests' stderr is a pipe).
@Suite struct ProgressCommandLineTests {
    @Test func statsLinesOnlyWhenAskedForWhenPiped() throws {
        let silent = try LoopbackLineServer { _ in nil }
        defer { silent.stop() }
        let port = String(silent.port)
        let asked = try AmapBinary.run(["--stats-every", "1", "-t", "2", "127.0.0.1", port])
        #expect(asked.status == 0, "\(asked.standardError)")
        let stats = asked.standardError.split(separator: "\n").filter { $0.hasPrefix("amap: stats: ") }
        #expect(!stats.isEmpty, "\(asked.standardError)")
        #expect(stats.allSatisfy { $0.contains("/1 (") })  // done/total of the one endpoint
        #expect(!asked.standardError.contains("\u{1B}[K"))  // no in-place line on a pipe

        let quiet = try AmapBinary.run(["-t", "1", "127.0.0.1", port])
        #expect(quiet.status == 0)
        #expect(!quiet.standardError.contains("amap: stats"))
        #expect(!quiet.standardError.contains("\u{1B}[K"))

        let bad = try AmapBinary.run(["--stats-every", "0", "127.0.0.1", port])
        #expect(bad.status == 64)
        #expect(bad.standardError.contains("--stats-every needs 1 to 86400 seconds"))
    }
}
