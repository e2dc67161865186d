import AmapTestSupport
import Foundation
import Testing

/// Bad command lines: a non-zero status, an `Error:` on stderr that says what to fix, and no scan.
@Suite("amap: bad flags and bad targets")
struct CommandLineErrorTests {
    static func expectRejected(_ arguments: [String], mentions fragments: [String], prefix: [String] = [])
        async throws
    {
        let run = try await AmapExecutable.run(arguments, timeout: .seconds(30), prefix: prefix)
        #expect(run.status != 0, "\(run)")
        #expect(!run.timedOut, "\(run)")
        #expect(run.stderr.contains("Error: "), "\(run)")
        for fragment in fragments {
            #expect(run.stderr.contains(fragment), "stderr does not mention \"\(fragment)\":\n\(run)")
        }
        #expect(!run.stdout.contains("started at"), "a scan started:\n\(run)")
    }

    @Test("an unknown flag")
    func unknownFlag() async throws {
        try await Self.expectRejected(["-Z", "127.0.0.1", "18122"], mentions: ["-Z"])
    }

    @Test("port 0")
    func portZero() async throws {
        try await Self.expectRejected(["127.0.0.1", "0"], mentions: ["port 0", "1-65535"])
    }

    @Test("a reversed port range")
    func reversedRange() async throws {
        try await Self.expectRejected(["127.0.0.1", "90-80"], mentions: ["90-80", "80-90"])
    }

    @Test("-m without -o")
    func machineWithoutLogFile() async throws {
        try await Self.expectRejected(["-m", "127.0.0.1", "22"], mentions: ["-m", "-o FILE"])
    }

    @Test("a malformed IPv4 target")
    func malformedTarget() async throws {
        try await Self.expectRejected(["127.0.0.300", "18122"], mentions: ["127.0.0.300"])
    }

    /// Run in a network namespace of its own (`unshare -n`), so the failed lookup never leaves the machine: the
    /// resolver there has no route to any name server.
    @Test("an unresolvable host name (resolved inside an empty network namespace)",
          .enabled(if: NetworkNamespace.available, "needs 'unshare -n' (root or user namespaces)"))
    func unresolvableHost() async throws {
        try await Self.expectRejected(["no-such-host.invalid", "18122"], mentions: ["could not resolve",
                                      "no-such-host.invalid"], prefix: ["unshare", "-n"])
    }
}

/// Whether this machine lets the tests create a network namespace with `unshare -n`.
enum NetworkNamespace {
    static let available: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["unshare", "-n", "true"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
}
