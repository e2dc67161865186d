import AmapTestSupport
import Foundation
import Testing

/// `--metadata-file`: the run record, checked with the tools a user would check it with: a draft 2020-12 validator
/// against docs/run-record.schema.json, `sha256sum -c` over its database list, and the JSON Lines written beside it.
@Suite("the run record (--metadata-file)", .timeLimit(.minutes(2)))
struct RunRecordTests {
    @Test("validates, names every signature file with the SHA-256 sha256sum agrees with, and counts the records",
          ExternalTool.needs(.pythonJSONSchema))
    func runRecord() async throws {
        try ExternalTool.require(.pythonJSONSchema)
        let scratch = try Scratch("run-record")
        defer { scratch.remove() }
        let server = try LoopbackTCPServer(greeting: Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8))
        defer { server.stop() }
        let closed = try ClosedPort()
        defer { closed.release() }
        let metadata = scratch.file("run.json").path
        let records = scratch.file("scan.jsonl").path
        let arguments = ["--metadata-file", metadata, "-oJ", records, "127.0.0.1", "\(server.port),\(closed.port)"]
        let run = try await AmapExecutable.run(arguments)
        #expect(run.status == 0, "\(run)")

        let schema = PackageRoot.url.appendingPathComponent("docs/run-record.schema.json").path
        let validator = """
            import json, sys
            from jsonschema import Draft202012Validator
            schema = json.load(open(sys.argv[1]))
            Draft202012Validator.check_schema(schema)
            bad = [e.message for e in Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2])))]
            print(bad)
            sys.exit(1 if bad else 0)
            """
        let valid = try await ExternalTool.pythonJSONSchema.python(validator, [schema, metadata])
        #expect(valid.status == 0, "\(valid)")

        let text = try String(contentsOfFile: metadata, encoding: .utf8)
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(record["completed"] as? Bool == true)
        #expect((record["arguments"] as? [String])?.dropFirst().elementsEqual(arguments) == true, "\(record)")
        let databases = try #require(record["databases"] as? [[String: Any]])
        #expect(!databases.isEmpty)
        #expect(databases.allSatisfy { ($0["path"] as? String)?.hasSuffix(".probes") == true }, "\(databases)")
        let list = databases.map { "\($0["sha256"] as? String ?? "null")  \($0["path"] as? String ?? "")\n" }.joined()
        let check = try await Subprocess.run(
            URL(fileURLWithPath: "/usr/bin/sha256sum"), arguments: ["-c", "--quiet", "-"], input: Data(list.utf8))
        #expect(check.status == 0, "\(check)")

        let lines = try String(contentsOfFile: records, encoding: .utf8).split(separator: "\n")
        let results = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        let counts = try #require(record["counts"] as? [String: Any])
        #expect(counts["endpoints"] as? Int == results.count && results.count == 2)
        #expect(counts["identified"] as? Int == results.filter { $0["service"] is String }.count)
        let states = try #require(counts["state"] as? [String: Int])
        let statuses = try #require(counts["status"] as? [String: Int])
        #expect(states["open"] == 1 && states["closed"] == 1, "\(states)")
        #expect(statuses["success"] == 1 && statuses["connection-refused"] == 1, "\(statuses)")
        for result in results {
            #expect(statuses[result["status"] as? String ?? ""] ?? 0 >= 1)
        }
        let started = try #require(record["started_at"] as? String)
        let finished = try #require(record["finished_at"] as? String)
        #expect(started <= finished)
    }
}
