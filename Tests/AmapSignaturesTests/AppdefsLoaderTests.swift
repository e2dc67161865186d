import AmapModel
import AmapSignatures
import Foundation
import Testing

@Suite struct AppdefsLoaderTests {
    /// A fresh directory holding `made.trig`, `made.resp` and (optionally) `made.rpc`; returns the prefix.
    private func writeFiles(trig: String?, resp: String?, rpc: String?) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("appdefs-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let prefix = directory.appendingPathComponent("made").path
        for (ext, text) in [("trig", trig), ("resp", resp), ("rpc", rpc)] {
            guard let text else { continue }
            try Data(text.utf8).write(to: URL(fileURLWithPath: prefix + "." + ext))
        }
        return prefix
    }

    private let triggers = """
        ###V:1#made up###
        hello:7000:tcp:0:"HELLO\\r\\n"
        query::udp:1:0x0102
        """
    private let responses = """
        greeter:hello:tcp::^HI
        anything::::.
        nosuch:hello,missing::5:^X
        """

    @Test func loadsAllThreeFiles() throws {
        let prefix = try writeFiles(trig: triggers, resp: responses, rpc: "prog:::0:300001\n")
        let result = try AppdefsLoader.load(prefix: prefix)
        let database = result.database
        #expect(database.probes.map(\.name) == ["hello", "query"])
        #expect(database.probes.allSatisfy { $0.signatures.isEmpty })
        #expect(database.responseSignatures.map(\.service) == ["greeter", "anything", "nosuch"])
        #expect(database.rpcPrograms.map(\.number) == [300_001])
        #expect(database.sources == [prefix + ".trig", prefix + ".resp", prefix + ".rpc"])
        #expect(result.errors.isEmpty)
        // The only warning: a trigger name that no trigger line defines, pointing at the name.
        #expect(result.warnings.count == 1)
        let warning = try #require(result.warnings.first)
        #expect(warning.location == AmapModel.SourceLocation(file: prefix + ".resp", line: 3, column: 14))
        #expect(warning.message.contains("'missing'"))
    }

    @Test func missingRPCFileIsOnlyAWarning() throws {
        let prefix = try writeFiles(trig: triggers, resp: "a::::x", rpc: nil)
        let result = try AppdefsLoader.load(prefix: prefix, strict: true)
        #expect(result.database.rpcPrograms.isEmpty)
        #expect(result.warnings.map(\.location.file) == [prefix + ".rpc"])
        #expect(result.database.sources.count == 2)
    }

    @Test func missingTriggerOrResponseFileIsAnError() throws {
        let noTrig = try writeFiles(trig: nil, resp: "a::::x", rpc: nil)
        #expect(throws: SignatureFileError.unreadable(path: noTrig + ".trig", reason: "no such file")) {
            try AppdefsLoader.load(prefix: noTrig)
        }
        let noResp = try writeFiles(trig: triggers, resp: nil, rpc: nil)
        #expect(throws: SignatureFileError.unreadable(path: noResp + ".resp", reason: "no such file")) {
            try AppdefsLoader.load(prefix: noResp)
        }
    }

    @Test func unreadableFileSaysWhy() throws {
        let prefix = try writeFiles(trig: nil, resp: "a::::x", rpc: nil)
        // A directory where the file should be: fopen succeeds on Linux, fread fails with EISDIR.
        try FileManager.default.createDirectory(atPath: prefix + ".trig", withIntermediateDirectories: false)
        do {
            _ = try AppdefsLoader.load(prefix: prefix)
            Issue.record("expected an error")
        } catch {
            guard case .unreadable(let path, let reason) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == prefix + ".trig")
            #expect(!reason.isEmpty && reason != "no such file")
        }
    }

    @Test func lenientLoadingSkipsBadLinesStrictLoadingThrows() throws {
        let prefix = try writeFiles(trig: triggers, resp: "good::::x\nbad:::9,1:x\n", rpc: "p:::0:1\n")
        let lenient = try AppdefsLoader.load(prefix: prefix)
        #expect(lenient.database.responseSignatures.map(\.service) == ["good"])
        #expect(lenient.errors.map(\.location.line) == [2])
        do {
            _ = try AppdefsLoader.load(prefix: prefix, strict: true)
            Issue.record("expected strict loading to throw")
        } catch {
            guard case .invalid(let path, let diagnostics) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == prefix + ".resp")
            #expect(diagnostics.filter { $0.severity == .error }.map(\.location.line) == [2])
            #expect(error.description.contains("1 error(s)"))
        }
    }

    @Test func strictLoadingDoesNotThrowForWarnings() throws {
        let prefix = try writeFiles(trig: triggers, resp: "d:::5-9:x\n", rpc: "p:::0:1\n")
        let result = try AppdefsLoader.load(prefix: prefix, strict: true)
        #expect(result.database.responseSignatures.first?.lengthRange == 5...5)
        #expect(result.warnings.count == 1)
    }

    @Test func strictLoadingChecksTheRPCFileToo() throws {
        let prefix = try writeFiles(trig: triggers, resp: "a::::x\n", rpc: "p:::0:oops\n")
        #expect(throws: SignatureFileError.self) { try AppdefsLoader.load(prefix: prefix, strict: true) }
        #expect(try AppdefsLoader.load(prefix: prefix).errors.count == 1)
    }
}
