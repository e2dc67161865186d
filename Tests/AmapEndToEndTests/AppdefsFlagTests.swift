import AmapTestSupport
import Foundation
import Testing

/// `-D PREFIX` (amap-format signature files), `-H` (no harmful triggers) and `-p NAME` (one trigger), with files
/// written by the tests; the trigger tests scan `LoopbackTCPServer`, which records what arrived.
@Suite("amap -D / -H / -p with appdefs files written by the test", .timeLimit(.minutes(3)))
struct AppdefsFlagTests {
    /// One harmless and one harmful trigger, each answered by the recording server with its own reply.
    static let triggers = """
        e2e-safe::tcp:0:"E2E-SAFE-TRIGGER\\r\\n"
        e2e-harm::tcp:1:"E2E-HARMFUL-TRIGGER\\r\\n"

        """
    static let responses = """
        e2e-safe-reply:e2e-safe:tcp::^OK SAFE
        e2e-harm-reply:e2e-harm:tcp::^OK HARMFUL

        """
    static let replies = [(marker: "E2E-SAFE-TRIGGER", answer: "OK SAFE\r\n"),
                          (marker: "E2E-HARMFUL-TRIGGER", answer: "OK HARMFUL\r\n")]

    /// Writes `PREFIX.trig` and `PREFIX.resp` (no `.rpc`: amap then only warns) and returns PREFIX.
    static func appdefs(_ scratch: Scratch, triggers: String, responses: String) throws -> String {
        _ = try scratch.write("e2e.trig", triggers)
        _ = try scratch.write("e2e.resp", responses)
        return scratch.file("e2e").path
    }

    @Test("-D: amap-format files written by the test identify sshd and vsftpd, and nothing else is used",
          DaemonAvailability.needs("openssh", "vsftpd"))
    func definitionsPrefixIdentifiesDaemons() async throws {
        let rows = DaemonAvailability.rows(["openssh", "vsftpd"])
        try DaemonAvailability.require(rows)
        let scratch = try Scratch()
        let prefix = try Self.appdefs(
            scratch,
            triggers: "e2e-crlf::tcp:0:\"\\r\\n\"\n",
            responses: "e2e-openssh::tcp::^SSH-2\\.0-OpenSSH_\ne2e-vsftpd::tcp::^220 \\(vsFTPd \\d\n"
        )
        let json = scratch.file("d.jsonl").path
        let run = try await AmapExecutable.run(["-D", prefix, "-t", "1", "-oJ", json, "127.0.0.1"]
                                               + DaemonTable.portArguments(rows))
        #expect(run.status == 0, "\(run)")
        let lines = HumanMatchLine.parse(run.stdout)
        for (row, id) in zip(rows, ["e2e-openssh", "e2e-vsftpd"]) {
            let mine = lines.filter { $0.endpoint == row.amapEndpoint }
            #expect(mine.map(\.service) == [id], "\(row): \(mine)\n\(run)")
        }
        let records = JSONRecord.parse(try String(contentsOfFile: json, encoding: .utf8)).records
        for record in records {
            let evidence = record.object["evidence"] as? [String: Any]
            #expect((evidence?["signature_file"] as? String)?.hasSuffix("e2e.resp") == true, "\(record.line)")
        }
        #expect(records.count == rows.count)
    }

    @Test("-H: the harmful trigger is never sent, the harmless one still identifies (control run without -H)")
    func skipHarmfulTriggers() async throws {
        let scratch = try Scratch()
        let prefix = try Self.appdefs(scratch, triggers: Self.triggers, responses: Self.responses)

        let control = try LoopbackTCPServer(replies: Self.replies)
        defer { control.stop() }
        let all = try await AmapExecutable.run(["-D", prefix, "-t", "1", "-T", "1", "127.0.0.1", "\(control.port)"])
        #expect(all.status == 0, "\(all)")
        #expect(control.received("E2E-HARMFUL-TRIGGER") && control.received("E2E-SAFE-TRIGGER"),
                "control: without -H both triggers should arrive: \(control.connections.count) connections")
        #expect(Set(HumanMatchLine.parse(all.stdout).map(\.service)) == ["e2e-safe-reply", "e2e-harm-reply"], "\(all)")

        let server = try LoopbackTCPServer(replies: Self.replies)
        defer { server.stop() }
        let run = try await AmapExecutable.run(["-H", "-D", prefix, "-t", "1", "-T", "1", "127.0.0.1",
                                                "\(server.port)"])
        #expect(run.status == 0, "\(run)")
        #expect(!server.received("E2E-HARMFUL-TRIGGER"), "-H sent the harmful trigger")
        #expect(server.received("E2E-SAFE-TRIGGER"), "-H did not send the harmless trigger")
        #expect(HumanMatchLine.parse(run.stdout).map(\.service) == ["e2e-safe-reply"], "\(run)")
    }

    @Test("-p NAME: only the named trigger is sent (not the others, not the TLS hello)")
    func onlyNamedTrigger() async throws {
        let scratch = try Scratch()
        let prefix = try Self.appdefs(scratch, triggers: Self.triggers, responses: Self.responses)
        let server = try LoopbackTCPServer(replies: Self.replies)
        defer { server.stop() }
        let run = try await AmapExecutable.run(["-p", "e2e-harm", "-D", prefix, "-t", "1", "-T", "1", "127.0.0.1",
                                                "\(server.port)"])
        #expect(run.status == 0, "\(run)")
        #expect(server.received("E2E-HARMFUL-TRIGGER"), "the named trigger was not sent")
        #expect(!server.received("E2E-SAFE-TRIGGER"), "-p sent another trigger")
        let tlsRecords = server.connections.filter { $0.first == 0x16 }
        #expect(tlsRecords.isEmpty, "-p sent a TLS handshake too")
        #expect(HumanMatchLine.parse(run.stdout).map(\.service) == ["e2e-harm-reply"], "\(run)")
    }

    @Test("-H with the nmap database: the daemons are still named",
          DaemonAvailability.needs("openssh", "nginx-http", "redis"))
    func skipHarmfulWithNmapDatabase() async throws {
        let rows = DaemonAvailability.rows(["openssh", "nginx-http", "redis"])
        try DaemonAvailability.require(rows)
        let run = try await AmapExecutable.run(["--nmap", "-H", "127.0.0.1"] + DaemonTable.portArguments(rows))
        #expect(run.status == 0, "\(run)")
        let lines = HumanMatchLine.parse(run.stdout)
        for row in rows {
            #expect(lines.contains { $0.endpoint == row.amapEndpoint && $0.service == row.bareService },
                    "\(row)\n\(run)")
        }
    }
}
