import AmapTestSupport
import Foundation
import Testing

/// `amap` refuses bad input before it scans: one `Error:` line naming what and where, exit status 255
/// (docs/exit-codes.md), nothing on stdout, no output file created. Runs the built binary; only 127.0.0.1 and names
/// under the reserved `.invalid` TLD (RFC 2606) appear, so nothing leaves the machine.
@Suite(.enabled(if: AmapExecutable.isBuilt, "needs the amap binary: swift build --product amap"))
struct BadInputTests {
    /// Runs `arguments` and checks the refusal: status, one message that names `mentions`, no report, no files.
    private func expectRefusal(
        _ arguments: [String], status: Int32 = 255, mentions: [String], files: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let directory = try Scratch("bad-input").directory
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        let run = try await AmapExecutable.run(arguments + ["-oJ", "report.json", "-oX", "report.xml"], in: directory)
        let label = arguments.joined(separator: " ")
        let message = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
        print("bad input: amap \(label) -> \(run.status) in \(String(format: "%.2f", run.seconds)) s: \(message)")
        #expect(run.status == status, "\(label): exit status", sourceLocation: sourceLocation)
        #expect(run.stderr.hasPrefix("Error: "), "\(label): \(run.stderr)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(run.stderr.contains(text), "\(label): the message must name '\(text)'",
                    sourceLocation: sourceLocation)
        }
        #expect(run.stdout.isEmpty, "\(label): nothing on stdout, got \(run.stdout.prefix(200))",
                sourceLocation: sourceLocation)
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(after == before, "\(label): files created: \(after.subtracting(before).sorted())",
                sourceLocation: sourceLocation)
        #expect(!run.stderr.unicodeScalars.contains { OutputSafety.isForbidden($0) },
                "\(label): raw control characters in the message", sourceLocation: sourceLocation)
    }

    @Test func badAddress() async throws {
        try await expectRefusal(["300.1.2.3", "80"], mentions: ["300.1.2.3", "300"])
    }

    @Test func portZeroAndPortAboveTheRange() async throws {
        try await expectRefusal(["127.0.0.1", "0"], mentions: ["port 0", "1-65535"])
        try await expectRefusal(["127.0.0.1", "65536"], mentions: ["65536", "1-65535"])
    }

    @Test func reversedPortRange() async throws {
        try await expectRefusal(["127.0.0.1", "90-80"], mentions: ["90-80", "80-90"])
    }

    @Test func nameThatDoesNotResolve() async throws {
        try await expectRefusal(["no-such-host.invalid", "80"], mentions: ["no-such-host.invalid"])
    }

    @Test func hugeScanNeedsConfirmationAndSendsNothing() async throws {
        // Refused while parsing the targets: before any name lookup, socket or output file.
        try await expectRefusal(["0.0.0.0/0", "80"], mentions: ["0.0.0.0/0", "--allow-huge-scan"])
    }

    @Test func unreadableSignatureFiles() async throws {
        try await expectRefusal(["--nmap-db", "missing.probes", "127.0.0.1", "1"], mentions: ["missing.probes"])
        try await expectRefusal(["-D", "missing", "127.0.0.1", "1"], mentions: ["missing.trig"])
    }

    @Test func malformedAndMissingInputFiles() async throws {
        try await expectRefusal(["-i", "scan.gnmap"], mentions: ["line 2"],
                          files: ["scan.gnmap": "# Nmap 7.94 scan\nHost: 999.1.1.1 ()\tPorts: 22/open/tcp//ssh///\n"])
        try await expectRefusal(["-i", "scan.xml"], mentions: ["scan.xml"],
                          files: ["scan.xml": "<?xml version=\"1.0\"?>\n<nmaprun><host><address addr=\"127.0.0.1\""])
        try await expectRefusal(["-i", "masscan.json"], mentions: ["masscan"],
                          files: ["masscan.json": "[\n{ \"ip\": \"127.0.0.1\", \"ports\": [ {\"port\": 99999"])
        try await expectRefusal(["-i", "nowhere.txt"], mentions: ["nowhere.txt"])
        try await expectRefusal(["-i", "list.txt"], mentions: ["line 1", "\\x00"], files: ["list.txt": "bad\u{0}\u{1B}[2J host:80\n"])
    }

    @Test func inputFileExpandingToMillionsOfEndpointsNeedsConfirmation() async throws {
        // Twenty lines (280 bytes) are 1.3 million endpoints: line 17 would cross the 2^20 limit.
        let lines = String(repeating: "127.0.0.1:1-\n", count: 20)
        try await expectRefusal(["-i", "ranges.txt"], mentions: ["line 17", "--allow-huge-scan"], files: ["ranges.txt": lines])
    }

    @Test func outputInADirectoryThatDoesNotExist() async throws {
        try await expectRefusal(["127.0.0.1", "1", "-oG", "no-such-dir/report.gnmap"], mentions: ["no-such-dir"])
    }

    @Test func existingLogIsLeftAloneWhenAnotherOutputIsUnwritable() async throws {
        // -o renames an existing log to .old before writing: a later unwritable output must not have done that.
        let directory = try Scratch("keep-log").directory
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("earlier report\n".utf8).write(to: directory.appendingPathComponent("scan.log"))
        let run = try await AmapExecutable.run(["127.0.0.1", "1", "-o", "scan.log", "-oX", "missing/report.xml"], in: directory)
        #expect(run.status == 255)
        #expect(try String(contentsOf: directory.appendingPathComponent("scan.log"), encoding: .utf8)
            == "earlier report\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("scan.log.old").path))
    }

    @Test func usageErrorsExit64() async throws {
        let directory = try Scratch("usage").directory
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await AmapExecutable.run(["-c", "0", "127.0.0.1", "1"], in: directory)
        #expect(run.status == 64)
        #expect(run.stderr.hasPrefix("Error: "))
    }

    @Test func malformedSignatureLinesAreNamedAndSkippedAndTheScanCompletes() async throws {
        // A hand-edited file with one bad regex and one unknown directive: both named file:line:column, the good
        // lines used, exit 0 (the same rule as `amap db check`, which exits 1 for them).
        let directory = try Scratch("bad-probes").directory
        defer { try? FileManager.default.removeItem(at: directory) }
        let probes = "Probe TCP NULL q||\nmatch ftp m/^220(/ p/x/\nbogus line\nmatch ssh m/^SSH-/\n"
        try Data(probes.utf8).write(to: directory.appendingPathComponent("edited.probes"))
        try Data("bad trigger line without colons\n".utf8).write(to: directory.appendingPathComponent("edited.trig"))
        for name in ["edited.resp", "edited.rpc"] {
            try Data().write(to: directory.appendingPathComponent(name))
        }
        let nmap = try await AmapExecutable.run(["--nmap-db", "edited.probes", "127.0.0.1", "1"], in: directory)
        #expect(nmap.status == 0)
        #expect(nmap.stderr.contains("edited.probes:2:"))
        #expect(nmap.stderr.contains("edited.probes:3:1"))
        let check = try await AmapExecutable.run(["db", "check", "--no-builtin", "--nmap-db", "edited.probes"], in: directory)
        #expect(check.status == 1)
        let appdefs = try await AmapExecutable.run(["-v", "-D", "edited", "127.0.0.1", "1"], in: directory)
        #expect(appdefs.status == 0)
        #expect(appdefs.stderr.contains("edited.trig:1:1"))
    }
}
