import AmapTestSupport
import Foundation
import Testing

/// `--stats-every` and the quiet default when stderr is not a terminal (the tests' stderr is a pipe).
@Suite struct ProgressCommandLineTests {
    @Test func statsLinesOnlyWhenAskedForWhenPiped() async throws {
        let silent = try LoopbackTCPServer { _ in nil }
        defer { silent.stop() }
        let port = String(silent.port)
        let asked = try await AmapExecutable.run(["--stats-every", "1", "-t", "2", "127.0.0.1", port])
        #expect(asked.status == 0, "\(asked.stderr)")
        let stats = asked.stderr.split(separator: "\n").filter { $0.hasPrefix("amap: stats: ") }
        #expect(!stats.isEmpty, "\(asked.stderr)")
        #expect(stats.allSatisfy { $0.contains("/1 (") })  // done/total of the one endpoint
        #expect(!asked.stderr.contains("\u{1B}[K"))  // no in-place line on a pipe

        let quiet = try await AmapExecutable.run(["-t", "1", "127.0.0.1", port])
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("amap: stats"))
        #expect(!quiet.stderr.contains("\u{1B}[K"))

        let bad = try await AmapExecutable.run(["--stats-every", "0", "127.0.0.1", port])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--stats-every needs 1 to 86400 seconds"))
    }
}
