import AmapTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// nmap's output habits through the binary: `-oA BASE`, `-` as an output file, `--version` (the parsing, the usage
/// errors and `--help` are checked in-process by AmapCommandTests).
///
/// Each scan is `-P` (connect only) of one port of a local server, so it takes milliseconds and needs no daemon.
@Suite("nmap's output habits", .timeLimit(.minutes(2)))
struct OutputHabitTests {
    /// A listening port on 127.0.0.1 for the duration of `body`.
    private func withOpenPort<T>(_ body: (String) async throws -> T) async throws -> T {
        let server = try LoopbackTCPServer()
        defer { server.stop() }
        return try await body(String(server.port))
    }

    @Test("--version prints the version and the built-in database's, and exits 0")
    func version() async throws {
        let run = try await AmapExecutable.run(["--version"])
        #expect(run.status == 0, "\(run)")
        let lines = run.stdoutLines.filter { !$0.isEmpty }
        #expect(lines.first == "amap 5.4-swift (swift-amap)", "\(run)")
        let database = lines.dropFirst().first ?? ""
        let pattern = #"^built-in database: [0-9a-f]{16} \([0-9]+ files, [0-9]+ probes, [0-9]+ signatures\)$"#
        #expect(database.range(of: pattern, options: .regularExpression) != nil, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
    }

    @Test("-oA BASE writes BASE.xml, BASE.gnmap, BASE.jsonl and BASE.amap, and no file named BASE")
    func outputAll() async throws {
        let scratch = try Scratch("habits")
        defer { scratch.remove() }
        let base = scratch.file("scan").path
        let run = try await withOpenPort { port in
            try await AmapExecutable.run(["-P", "-oA", base, "127.0.0.1", port])
        }
        #expect(run.status == 0, "\(run)")
        #expect(!FileManager.default.fileExists(atPath: base), "-oA was read as -o BASE -A")
        let xml = try scratch.read("scan.xml")
        let root = try XMLDocument(xmlString: xml, options: []).rootElement()
        #expect(root?.name == "nmaprun" && root?.elements(forName: "host").count == 1, "\(xml)")
        #expect(try scratch.read("scan.gnmap").contains("\tPorts: "), "grepable")
        let json = try scratch.read("scan.jsonl").split(separator: "\n")
        #expect(json.count == 1 && (try? JSONSerialization.jsonObject(with: Data(json[0].utf8))) != nil, "\(json)")
        let log = try scratch.read("scan.amap")
        #expect(log.hasPrefix("amap v5.4-swift") && log.contains(" is OPEN"), "\(log)")
    }

    @Test("- as the file of -oX, -oJ, -oG or -o writes that report to stdout instead of amap's lines",
          arguments: ["-oX", "-oJ", "-oG", "-o"])
    func dashIsStandardOutput(option: String) async throws {
        let scratch = try Scratch("habits")
        defer { scratch.remove() }
        let run = try await withOpenPort { port in
            try await AmapExecutable.run(["-P", option, "-", "127.0.0.1", port], in: scratch.directory)
        }
        #expect(run.status == 0, "\(run)")
        #expect(!FileManager.default.fileExists(atPath: scratch.file("-").path), "a file named '-' was created")
        switch option {
        case "-oX":
            let root = try XMLDocument(xmlString: run.stdout, options: []).rootElement()
            #expect(root?.name == "nmaprun" && root?.elements(forName: "host").count == 1, "\(run)")
        case "-oJ":
            let lines = run.stdoutLines.filter { !$0.isEmpty }
            #expect(lines.count == 1, "\(run)")
            #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "\(run)")
        case "-oG":
            #expect(run.stdout.hasPrefix("# amap v5.4-swift") && run.stdout.contains("\tPorts: "), "\(run)")
        default:
            // The log's wording: amap's terminal lines would be written twice if both went to stdout.
            #expect(run.stdoutLines.filter { $0.hasSuffix(" is OPEN") }.count == 1, "\(run)")
        }
    }
}
