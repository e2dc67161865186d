import AmapTestSupport
import Foundation
import Testing

/// `--stats-every` and the quiet default when stderr is not a terminal (the tests' stderr is a pipe).
@Suite struct ProgressCommandLineTests {
    @Test func statsLinesOnlyWhenAskedForWhenPiped() async throws {
        let silent = try LoopbackTCPServer { _ in nil }
        defer { silent.stop() }
        let port = String(silent.port)
        let closed = try ClosedPort()
        defer { closed.release() }
        // The closed port ends at once, the silent one after its waits (-t 2): the lines between show a rate and an
        // ETA.
        let asked = try await AmapExecutable.run(
            ["--stats-every", "1", "-t", "2", "127.0.0.1", port, String(closed.port)])
        #expect(asked.status == 0, "\(asked.stderr)")
        let lines = asked.stderr.split(separator: "\n")
        let stats = lines.filter { $0.hasPrefix("amap: stats: ") }
        #expect(!stats.isEmpty, "\(asked.stderr)")
        #expect(stats.allSatisfy { $0.contains("/2 (") })  // done/total of the two endpoints
        let halfway = stats.filter { $0.hasPrefix("amap: stats: 1/2 (50.0%), ") }
        let rateAndETA = #", [0-9]+\.[0-9]/s, ETA [0-9]+s$"#
        #expect(halfway.contains { $0.range(of: rateAndETA, options: .regularExpression) != nil }, "\(asked.stderr)")
        let summary = try #require(lines.last, "\(asked.stderr)")
        let summaryPattern = #"^amap: done: 2/2 endpoints in [0-9]+\.[0-9]s \([0-9]+\.[0-9]/s\): 1 open, 0 identified$"#
        #expect(summary.range(of: summaryPattern, options: .regularExpression) != nil, "\(asked.stderr)")
        #expect(!asked.stderr.contains("\u{1B}[K"))  // no in-place line on a pipe

        let quiet = try await AmapExecutable.run(["-t", "1", "127.0.0.1", port])
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("amap: stats") && !quiet.stderr.contains("amap: done"))
        #expect(!quiet.stderr.contains("\u{1B}[K"))

        let bad = try await AmapExecutable.run(["--stats-every", "0", "127.0.0.1", port])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--stats-every needs 1 to 86400 seconds"))
    }
}
