import AmapTestSupport
import Foundation
import Testing

/// `-i FILE` (targets from an nmap grepable file) and `-o FILE` (the human log, an existing FILE kept as FILE.old).
@Suite("amap -i / -o", .timeLimit(.minutes(3)))
struct InputOutputFlagTests {
    @Test("-i FILE: the open ports of an nmap -oG file are scanned; closed and filtered entries are not",
          DaemonAvailability.needs("vsftpd", "openssh", "closed-tcp"))
    func nmapGrepableInput() async throws {
        let rows = DaemonAvailability.rows(["vsftpd", "openssh", "closed-tcp"])
        try DaemonAvailability.require(rows)
        let ftp = rows[0], ssh = rows[1], closed = rows[2]
        let silent = try #require(DaemonTable.row("silent-tcp"))
        let scratch = try Scratch()
        let input = try scratch.write("scan.gnmap", """
            # Nmap 7.93 scan initiated as: nmap -oG scan.gnmap -p \(ftp.port),\(ssh.port),\(closed.port) 127.0.0.1
            Host: 127.0.0.1 (localhost)\tStatus: Up
            Host: 127.0.0.1 (localhost)\tPorts: \(ftp.port)/open/tcp//ftp///, \(ssh.port)/open/tcp//ssh///, \
            \(closed.port)/closed/tcp/////, \(silent.port)/filtered/tcp/////
            # Nmap done -- 1 IP address (1 host up) scanned

            """)
        let json = scratch.file("i.jsonl").path
        let run = try await AmapExecutable.run(["--nmap", "-oJ", json, "-i", input.path])
        #expect(run.status == 0, "\(run)")
        let records = JSONRecord.parse(try String(contentsOfFile: json, encoding: .utf8)).records
        #expect(Set(records.compactMap(\.port)) == [ftp.port, ssh.port], "\(records.map(\.line))")
        #expect(records.first { $0.port == ftp.port }?.service == "ftp")
        #expect(records.first { $0.port == ssh.port }?.service == "ssh")
        let lines = HumanMatchLine.parse(run.stdout)
        #expect(lines.contains { $0.endpoint == ftp.amapEndpoint && $0.service == "ftp" }, "\(run)")
        #expect(lines.contains { $0.endpoint == ssh.amapEndpoint && $0.service == "ssh" }, "\(run)")
    }

    @Test("-o FILE: the human log is written (MAPPING mode, no blank lines); an existing FILE becomes FILE.old",
          DaemonAvailability.needs("openssh", "closed-tcp"))
    func humanLogFile() async throws {
        let rows = DaemonAvailability.rows(["openssh", "closed-tcp"])
        try DaemonAvailability.require(rows)
        let scratch = try Scratch()
        let log = try scratch.write("amap.log", "previous run\n")
        let run = try await AmapExecutable.run(["--nmap", "-o", log.path, "127.0.0.1"]
                                               + DaemonTable.portArguments(rows))
        #expect(run.status == 0, "\(run)")
        #expect(try scratch.read("amap.log.old") == "previous run\n")
        #expect(run.stdoutLines.contains { $0.hasPrefix("Warning:") && $0.contains(log.path) && $0.contains(".old") },
                "no rename warning on stdout:\n\(run)")
        let text = try scratch.read("amap.log")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasSuffix(" - MAPPING mode") == true && !text.contains("APPLICATION MAPPING"), "\(text)")
        #expect(HumanMatchLine.parse(text).contains { $0.endpoint == rows[0].amapEndpoint && $0.service == "ssh" },
                "\(text)")
        // The closed port is not an unidentified service (issue 12).
        #expect(HumanMatchLine.unidentified(text) == [], "\(text)")
        #expect(lines.dropLast().allSatisfy { !$0.isEmpty }, "blank lines in the log:\n\(text)")
        #expect(lines.dropLast().last?.contains(" finished at ") == true, "\(text)")
    }
}
