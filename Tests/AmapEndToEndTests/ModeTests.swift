import AmapTestSupport
import Foundation
import Testing

/// The modes and the per-port limit: `-B` (banners), `-P` (port scan), `-1` (one identification per port).
@Suite("amap -B / -P / -1", .timeLimit(.minutes(4)))
struct ModeTests {
    @Test("-B prints the greetings of ssh, ftp and smtp as 'Banner on IP:PORT/tcp : …', nothing for silent or closed",
          DaemonAvailability.needs("openssh", "vsftpd", "exim", "silent-tcp", "closed-tcp"))
    func bannerMode() async throws {
        let rows = DaemonAvailability.rows(["openssh", "vsftpd", "exim", "silent-tcp", "closed-tcp"])
        try DaemonAvailability.require(rows)
        let run = try await AmapExecutable.run(["-B", "127.0.0.1"] + DaemonTable.portArguments(rows))
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("- BANNER mode"), "\(run)")
        let expected = [
            "openssh": "SSH-2.0-OpenSSH_", "vsftpd": "220 (vsFTPd ", "exim": "220 mail.amap.test ESMTP Exim ",
        ]
        for row in rows {
            let banners = run.stdoutLines.filter { $0.hasPrefix("Banner on \(row.amapEndpoint) : ") }
            if let start = expected[row.name] {
                let line = "Banner on \(row.amapEndpoint) : \(start)"
                #expect(banners.count == 1 && banners.first?.hasPrefix(line) == true,
                        "\(row): \(banners)\n\(run)")
            } else {
                #expect(banners.isEmpty, "\(row): \(banners)")
            }
        }
        #expect(!run.stdout.contains("Protocol on "), "banner mode identified something:\n\(run)")
    }

    @Test("-P reports the accepting ports OPEN (silent one included) and never the closed one",
          DaemonAvailability.needs("openssh", "vsftpd", "silent-tcp", "closed-tcp"))
    func portScanMode() async throws {
        let rows = DaemonAvailability.rows(["openssh", "vsftpd", "silent-tcp", "closed-tcp"])
        try DaemonAvailability.require(rows)
        let run = try await AmapExecutable.run(["-P", "127.0.0.1"] + DaemonTable.portArguments(rows))
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("- PORTSCAN mode"), "\(run)")
        for row in rows {
            let open = run.stdoutLines.contains("Port on \(row.amapEndpoint) is OPEN")
            #expect(open == (row.state != "closed"), "\(row): OPEN line \(open ? "present" : "missing")\n\(run)")
        }
        #expect(!run.stdout.contains("Protocol on "), "port-scan mode identified something:\n\(run)")
    }

    /// Two response lines of a `-D` file match each greeting, so without `-1` each port gets two identifications
    /// (amap semantics report them all): that run is the control.
    @Test("-1: one identification per port where two signatures match (two without -1)",
          DaemonAvailability.needs("openssh", "vsftpd"))
    func stopAtFirstIdentification() async throws {
        let rows = DaemonAvailability.rows(["openssh", "vsftpd"])
        try DaemonAvailability.require(rows)
        let scratch = try Scratch()
        _ = try scratch.write("two.trig", "e2e-crlf::tcp:0:\"\\r\\n\"\n")
        _ = try scratch.write("two.resp", """
            e2e-greeting::tcp::^(SSH-|220 )
            e2e-ssh::tcp::^SSH-2\\.0-
            e2e-ftp::tcp::^220 \\(vsFTPd

            """)
        let prefix = scratch.file("two").path
        let ports = DaemonTable.portArguments(rows)
        let all = try await AmapExecutable.run(["-D", prefix, "-t", "1", "127.0.0.1"] + ports)
        let one = try await AmapExecutable.run(["-1", "-D", prefix, "-t", "1", "127.0.0.1"] + ports)
        #expect(all.status == 0 && one.status == 0, "\(all)\n\(one)")
        for row in rows {
            let control = HumanMatchLine.parse(all.stdout).filter { $0.endpoint == row.amapEndpoint }
            #expect(control.count == 2, "control: without -1, \(row) should get 2 identifications: \(control)")
            let limited = HumanMatchLine.parse(one.stdout).filter { $0.endpoint == row.amapEndpoint }
            #expect(limited.count == 1, "-1: \(row): \(limited)\n\(one)")
        }
    }

    @Test("-1 with --nmap: exactly one identification, the right service, on the Dovecot and ssh ports",
          DaemonAvailability.needs("openssh", "dovecot-imap", "dovecot-pop3", "dovecot-imaps", "dovecot-pop3s"))
    func stopAtFirstWithNmapDatabase() async throws {
        let names = ["openssh", "dovecot-imap", "dovecot-pop3", "dovecot-imaps", "dovecot-pop3s"]
        let rows = DaemonAvailability.rows(names)
        try DaemonAvailability.require(rows)
        let scratch = try Scratch()
        let json = scratch.file("one.jsonl").path
        let run = try await AmapExecutable.run(["--nmap", "-1", "-oJ", json, "127.0.0.1"]
                                               + DaemonTable.portArguments(rows))
        #expect(run.status == 0, "\(run)")
        let records = JSONRecord.parse(try String(contentsOfFile: json, encoding: .utf8)).records
        let lines = HumanMatchLine.parse(run.stdout)
        for row in rows {
            let record = records.first { $0.port == row.port }
            #expect(record?.identifications.count == 1, "\(row): \(record?.line ?? "no record")")
            #expect(record?.service == row.bareService, "\(row): \(record?.line ?? "no record")")
            #expect(lines.filter { $0.endpoint == row.amapEndpoint }.count == 1, "\(row):\n\(run.stdout)")
        }
    }
}
