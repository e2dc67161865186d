import Foundation
import Testing

/// The default (built-in) database on the rows nmap 7.93's database cannot name, and on a TLS-wrapped HTTP port.
@Suite("amap with the built-in database", .timeLimit(.minutes(3)))
struct BuiltinDatabaseTests {
    @Test("names MQTT (mosquitto) and XMPP (prosody c2s and s2s), which --nmap cannot",
          DaemonAvailability.needs("mosquitto", "prosody-c2s", "prosody-s2s"))
    func namesWhatNmapCannot() async throws {
        let rows = DaemonAvailability.rows(["mosquitto", "prosody-c2s", "prosody-s2s"])
        try DaemonAvailability.require(rows)
        let scratch = try Scratch()
        let json = scratch.file("b.jsonl").path
        let run = try await AmapExecutable.run(["-oJ", json, "127.0.0.1"] + DaemonTable.portArguments(rows))
        #expect(run.status == 0, "\(run)")
        let records = JSONRecord.parse(try String(contentsOfFile: json, encoding: .utf8)).records
        for row in rows {
            let record = records.first { $0.port == row.port }
            #expect(record?.state == "open" && record?.service == row.bareService, "\(row): \(record?.line ?? "none")")
            #expect(HumanMatchLine.parse(run.stdout).contains { $0.endpoint == row.amapEndpoint
                && $0.service == row.bareService }, "\(row)\n\(run)")
        }
    }

    /// nginx answers plain HTTP on its TLS port with "400 The plain HTTP request was sent to HTTPS port"; the port is
    /// still `ssl/http` (nmap and `--nmap` say so), not plain `http`.
    @Test("BUG: nginx's TLS port is reported as http inside TLS (tunnel ssl), not as plain http",
          DaemonAvailability.needs("nginx-https"))
    func httpsPortIsTunnelled() async throws {
        let row = try #require(DaemonTable.row("nginx-https"))
        try DaemonAvailability.require([row])
        let scratch = try Scratch()
        let json = scratch.file("https.jsonl").path
        let run = try await AmapExecutable.run(["-oJ", json, "127.0.0.1", "\(row.port)"])
        #expect(run.status == 0, "\(run)")
        let record = JSONRecord.parse(try String(contentsOfFile: json, encoding: .utf8)).records.first
        #expect(record?.service == "http" && record?.tunnel == "ssl", "\(record?.line ?? "none")")
        #expect(HumanMatchLine.parse(run.stdout).contains { $0.service == "http" && $0.overSSL }, "\(run)")
    }
}
