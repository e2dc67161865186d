import AmapTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--starttls` against the real daemons of scripts/daemons.sh, which serve a certificate the script made (a test
/// CA and a leaf it signs). Every fact the scanner reports is compared with what `openssl x509` reads from the
/// script's own leaf.pem, not with values written here.
@Suite("amap --starttls against real daemons", .serialized, .timeLimit(.minutes(2)))
struct StartTLSDaemonTests {
    /// SMTP (Exim), IMAP and POP3 (Dovecot), FTP (vsftpd), LDAP (slapd), PostgreSQL and MySQL (MariaDB).
    static let upgradeRows = ["exim", "dovecot-imap", "dovecot-pop3", "vsftpd", "slapd", "postgresql", "mariadb"]
    /// Daemons that refuse: MariaDB's full extra port (an error packet for a greeting), vsftpd at its client limit
    /// (421), Prosody asked for a host it does not serve (the stream header's `to` is the address).
    static let refusingRows = ["mariadb-full", "vsftpd-full", "prosody-c2s"]
    /// XMPP: Prosody serves the virtual host `localhost`, so scanned by that name it offers `<starttls/>`.
    static let xmppRow = "prosody-c2s"
    static let xmppHost = "localhost"

    /// The daemon suite's run directory (scripts/daemons.sh's `AMAP_DAEMON_DIR`).
    static var runDirectory: String {
        let given = ProcessInfo.processInfo.environment["AMAP_DAEMON_DIR"] ?? ""
        return given.isEmpty ? "/tmp/swift-amap-daemons" : given
    }

    /// The facts of the leaf certificate the script made, as `openssl x509` reads them.
    struct Certificate {
        var subject: String
        var issuer: String
        var notBefore: String
        var notAfter: String
        var fingerprint: String
        var alternativeNames: [String]

        static func load(_ path: String) async throws -> Certificate {
            let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
            let run = try await Subprocess.run(openssl, arguments: [
                "x509", "-in", path, "-noout", "-nameopt", "compat", "-dateopt", "iso_8601", "-subject", "-issuer",
                "-startdate", "-enddate", "-fingerprint", "-sha256", "-ext", "subjectAltName",
            ])
            try #require(run.status == 0, "\(run)")
            var fields: [String: String] = [:]
            var names: [String] = []
            for line in run.stdoutLines {
                if let equals = line.firstIndex(of: "="), !line.hasPrefix(" ") {
                    fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
                } else if line.hasPrefix(" ") {
                    names += line.split(separator: ",").map { normalize(String($0)) }
                }
            }
            func field(_ name: String) throws -> String { try #require(fields[name], "no \(name) in \(run.stdout)") }
            return Certificate(
                subject: slashesToCommas(try field("subject")), issuer: slashesToCommas(try field("issuer")),
                notBefore: iso(try field("notBefore")), notAfter: iso(try field("notAfter")),
                fingerprint: try field("sha256 Fingerprint"), alternativeNames: names)
        }

        /// `/CN=localhost/O=x` (certificate order) as `CN=localhost,O=x`.
        private static func slashesToCommas(_ text: String) -> String {
            text.split(separator: "/").joined(separator: ",")
        }

        /// `2026-12-03 16:34:14Z` as `2026-12-03T16:34:14Z`.
        private static func iso(_ text: String) -> String {
            text.replacingOccurrences(of: " ", with: "T")
        }

        /// `DNS:x` stays; `IP Address:0:0:0:0:0:0:0:1` becomes `IP:::1` (the C library's canonical text).
        private static func normalize(_ entry: String) -> String {
            let entry = entry.trimmingCharacters(in: .whitespaces)
            guard entry.hasPrefix("IP Address:") else { return entry }
            let address = String(entry.dropFirst("IP Address:".count))
            for family in [AF_INET, AF_INET6] {
                var buffer = [UInt8](repeating: 0, count: 16)
                guard inet_pton(family, address, &buffer) == 1 else { continue }
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                guard inet_ntop(family, buffer, &text, socklen_t(text.count)) != nil else { continue }
                return "IP:" + String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            return "IP:" + address
        }
    }

    /// One `--starttls` scan of every row the tests need, on 127.0.0.1 and XMPP also as `localhost` (the scan's time
    /// is the slowest daemon's, about 6 s, so one scan instead of three): its JSON Lines.
    static let sharedScan = Task {
        let rows = DaemonAvailability.rows(upgradeRows + refusingRows).filter(DaemonAvailability.isAsExpected)
        var targets = rows.map { "127.0.0.1:\($0.port)" }
        if let xmpp = DaemonTable.row(xmppRow) { targets.append("\(xmppHost):\(xmpp.port)") }
        return try await scan(targets)
    }

    /// The shared scan's records by `host:port`.
    static func sharedRecords() async throws -> [String: JSONRecord] {
        var records: [String: JSONRecord] = [:]
        for record in JSONRecord.parse(try await sharedScan.value).records {
            if let host = record.object["host"] as? String, let port = record.port { records["\(host):\(port)"] = record }
        }
        return records
    }

    /// Scans `targets` (`host:port`, given with `-i`) with `--starttls`; the JSON Lines.
    static func scan(_ targets: [String]) async throws -> String {
        let scratch = try Scratch()
        let json = scratch.file("starttls.jsonl").path
        let list = scratch.file("targets.txt")
        try Data((targets.joined(separator: "\n") + "\n").utf8).write(to: list)
        let run = try await AmapExecutable.run(["--starttls", "-oJ", json, "-i", list.path], timeout: .seconds(90))
        #expect(run.status == 0, "\(run)")
        return (try? String(contentsOfFile: json, encoding: .utf8)) ?? ""
    }

    @Test("SMTP, IMAP, POP3, FTP, LDAP, PostgreSQL, MySQL and XMPP give tls.starttls with the script's certificate",
          DaemonAvailability.needs(DaemonAvailability.rows(StartTLSDaemonTests.upgradeRows + [xmppRow])))
    func everyUpgradeReportsTheScriptsCertificate() async throws {
        let rows = DaemonAvailability.rows(Self.upgradeRows + [Self.xmppRow])
        try DaemonAvailability.require(rows)
        let expected = try await Certificate.load(Self.runDirectory + "/tls/leaf.pem")
        #expect(expected.alternativeNames.contains("IP:::1"), "\(expected.alternativeNames)")
        let started = ContinuousClock.now
        let records = try await Self.sharedRecords()
        print("--starttls over \(records.count) daemon ports: \(ContinuousClock.now - started)")
        for row in rows {
            let host = row.name == Self.xmppRow ? Self.xmppHost : "127.0.0.1"
            let record = try #require(records["\(host):\(row.port)"], "no record for \(row) as \(host)")
            #expect(record.service == row.bareService, "\(record.line)")
            let tls = try #require(record.object["tls"] as? [String: Any], "\(row.name): no tls in \(record.line)")
            #expect(tls["starttls"] as? Bool == true, "\(row.name): \(record.line)")
            #expect(tls["starttls_error"] is NSNull, "\(row.name): \(record.line)")
            #expect((tls["version"] as? String)?.hasPrefix("TLSv1.") == true, "\(row.name): \(record.line)")
            #expect((tls["cipher"] as? String)?.hasPrefix("TLS_") == true, "\(row.name): \(record.line)")
            #expect(tls["subject"] as? String == expected.subject, "\(row.name)")
            #expect(tls["issuer"] as? String == expected.issuer, "\(row.name)")
            #expect(tls["sans"] as? [String] == expected.alternativeNames, "\(row.name)")
            #expect(tls["not_before"] as? String == expected.notBefore, "\(row.name)")
            #expect(tls["not_after"] as? String == expected.notAfter, "\(row.name)")
            #expect(tls["sha256_fingerprint"] as? String == expected.fingerprint, "\(row.name)")
            // The daemons serve the leaf and the CA (cert.pem).
            #expect(tls["chain_length"] as? Int == 2, "\(row.name)")
        }
    }

    @Test("refused upgrades are reported as refused, and the port keeps its identification",
          DaemonAvailability.needs(DaemonAvailability.rows(StartTLSDaemonTests.refusingRows)))
    func refusedUpgradesAreReported() async throws {
        let rows = DaemonAvailability.rows(Self.refusingRows)
        try DaemonAvailability.require(rows)
        let records = try await Self.sharedRecords()
        for row in rows {
            let record = try #require(records["127.0.0.1:\(row.port)"], "no record for \(row)")
            #expect(record.state == "open" && record.service == row.bareService, "\(record.line)")
            let tls = try #require(record.object["tls"] as? [String: Any], "\(row.name): no tls in \(record.line)")
            #expect(tls["starttls"] as? Bool == true, "\(row.name): \(record.line)")
            #expect((tls["starttls_error"] as? String)?.hasPrefix("refused: ") == true, "\(row.name): \(record.line)")
            #expect(tls["subject"] is NSNull, "\(row.name): \(record.line)")
        }
    }

    @Test("the XML of an upgraded port validates against nmap's DTD",
          DaemonAvailability.needs("exim"), ExternalTool.needs(.xmllint))
    func xmlValidates() async throws {
        try DaemonAvailability.require("exim")
        let scratch = try Scratch()
        let xml = scratch.file("starttls.xml").path
        let row = try #require(DaemonTable.row("exim"))
        let run = try await AmapExecutable.run(["--starttls", "-oX", xml, "127.0.0.1", String(row.port)],
                                               timeout: .seconds(60))
        #expect(run.status == 0, "\(run)")
        let text = (try? String(contentsOfFile: xml, encoding: .utf8)) ?? ""
        #expect(text.contains("<script id=\"ssl-cert\" output=\"Protocol: TLSv1."), "\(text)")
        let lint = try await Subprocess.run(URL(fileURLWithPath: ExternalTool.xmllint.path),
                                            arguments: ["--noout", "--dtdvalid", ExternalTool.dtd, xml])
        #expect(lint.status == 0, "\(lint)")
    }
}
