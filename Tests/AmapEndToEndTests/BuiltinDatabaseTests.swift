import AmapTestSupport
import Foundation
import Testing

/// The default (built-in) database on the rows nmap 7.93's database cannot name, and on a TLS-wrapped HTTP port.
@Suite("amap with the built-in database", .timeLimit(.minutes(3)))
struct BuiltinDatabaseTests {
    /// iperf3 serves one client at a time: probes sent alongside the one it serves get nothing or a reset, so this
    /// also checks that such a server's answers are not lost to parallel probes. (nmap 7.93's database has no line
    /// for mosquitto or Prosody's stream error, and sends its iperf3 probe only to port 5201; `amap --nmap` names
    /// iperf3 here through the lone re-send of a starved probe, see `FullTCPScanTests.beyondNmapDatabase`.)
    @Test("names MQTT (mosquitto), XMPP (prosody c2s and s2s) and iperf3, which nmap -sV leaves unknown here",
          DaemonAvailability.needs("mosquitto", "prosody-c2s", "prosody-s2s", "iperf3"))
    func namesWhatNmapCannot() async throws {
        let rows = DaemonAvailability.rows(["mosquitto", "prosody-c2s", "prosody-s2s", "iperf3"])
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
    @Test("JSON: nginx's TLS port is http inside TLS (tunnel ssl)", DaemonAvailability.needs("nginx-https"))
    func httpsPortIsTunnelledInJSON() async throws {
        let row = try #require(DaemonTable.row("nginx-https"))
        try DaemonAvailability.require([row])
        let scratch = try Scratch()
        let json = scratch.file("https.jsonl").path
        let run = try await AmapExecutable.run(["-oJ", json, "127.0.0.1", "\(row.port)"])
        #expect(run.status == 0, "\(run)")
        let record = JSONRecord.parse(try String(contentsOfFile: json, encoding: .utf8)).records.first
        #expect(record?.service == "http" && record?.tunnel == "ssl", "\(record?.line ?? "none")")
    }

    /// The same run's human line says `matches http` and its `-m` record has an empty SSL field, while the JSON says
    /// tunnel `ssl`: the tunnel of an `ssl/…` signature matched on a plaintext answer is lost in amap's formats.
    /// Reproduce: `amap -m -o /tmp/m 127.0.0.1 18443; cat /tmp/m`.
    @Test("BUG: human and -m lines show the ssl tunnel of nginx's TLS port as the JSON does",
          DaemonAvailability.needs("nginx-https"))
    func httpsPortIsTunnelledInAmapFormats() async throws {
        let row = try #require(DaemonTable.row("nginx-https"))
        try DaemonAvailability.require([row])
        let scratch = try Scratch()
        let log = scratch.file("https.m").path
        let run = try await AmapExecutable.run(["-m", "-o", log, "127.0.0.1", "\(row.port)"])
        #expect(run.status == 0, "\(run)")
        #expect(HumanMatchLine.parse(run.stdout).contains { $0.overSSL || $0.service == "ssl/http" }, "\(run)")
        let records = MachineLine.parseLog(try String(contentsOfFile: log, encoding: .utf8)).records
        #expect(records.contains { $0.port == row.port && $0.ssl == "SSL" }, "\(records)")
    }
}
