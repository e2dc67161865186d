import AmapTestSupport
import Foundation
import Testing

/// amap's warnings for ports it could not connect to, word for word (amap-5.4.md §5, §6), from the command line:
/// none of these ports is an unidentified service.
@Suite("amap's connect warnings", .timeLimit(.minutes(2)))
struct ConnectWarningTests {
    @Test("-T 1 -C 2: a port whose connects time out gets amap's 'disabling port' warning, even with -q")
    func connectTimeoutWarning() async throws {
        let filtered = try BacklogFullPort()
        defer { filtered.release() }
        for quiet in [[], ["-q"]] {
            let run = try await AmapExecutable.run(quiet + ["-T", "1", "-C", "2", "127.0.0.1", "\(filtered.port)"])
            #expect(run.status == 0, "\(run)")
            #expect(run.stdoutLines.contains(
                "Warning: Could not connect (timeout 1, retries 2) to 127.0.0.1:\(filtered.port)/tcp, disabling port"),
                "\(run)")
            #expect(HumanMatchLine.unidentified(run.stdout) == (quiet.isEmpty ? [] : nil), "\(run)")
        }
    }

    @Test("-v: a refused TCP port is warned about (not without -v, not with -q) and is not unidentified")
    func refusedWarningUnderVerbose() async throws {
        let closed = try ClosedPort()
        defer { closed.release() }
        let line = "Warning: Could not connect (refused) to 127.0.0.1:\(closed.port)/tcp, disabling port"
        let verbose = try await AmapExecutable.run(["-v", "127.0.0.1", "\(closed.port)"])
        #expect(verbose.stdoutLines.contains(line), "\(verbose)")
        #expect(HumanMatchLine.unidentified(verbose.stdout) == [], "\(verbose)")
        let plain = try await AmapExecutable.run(["127.0.0.1", "\(closed.port)"])
        #expect(!plain.stdout.contains("Warning:"), "\(plain)")
        let quiet = try await AmapExecutable.run(["-v", "-q", "127.0.0.1", "\(closed.port)"])
        #expect(!quiet.stdout.contains("Warning:"), "\(quiet)")
    }
}
