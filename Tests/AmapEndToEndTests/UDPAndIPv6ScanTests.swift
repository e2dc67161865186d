import AmapTestSupport
import Foundation
import Testing

/// `-u` and `-6`: the UDP rows and the `::1` rows of the table, each set scanned once with `--nmap`.
@Suite("amap --nmap -u / -6: UDP and IPv6 rows of the table", .timeLimit(.minutes(4)))
struct UDPAndIPv6ScanTests {
    @Test("-u: dnsmasq and snmpd named with their products; the closed UDP port is closed, never open",
          DaemonAvailability.needs(SharedScans.udpRows))
    func udpRows() async throws {
        try DaemonAvailability.require(SharedScans.udpRows)
        let output = try await SharedScans.shared.udpIPv4()
        #expect(output.run.status == 0 && !output.run.timedOut, "\(output.run)")
        // nmap 7.93 -sV names neither MIT krb5kdc (it prints a fingerprint), nor atftpd or memcached on these
        // ports (open|filtered: none of its probes for them goes to a non-standard port at intensity 7).
        let named = SharedScans.udpRows.filter { $0.nmapService != "unknown" }
        try Self.checkRows(named, in: output)
        let records = JSONRecord.parse(output.json).records
        for row in SharedScans.udpRows where row.nmapService == "unknown" {
            let record = records.first { $0.port == row.port && $0.proto == "udp" }
            #expect(record != nil && record?.state != "closed", "\(row): \(record?.line ?? "no record")")
            #expect(record?.service == nil || record?.service == row.bareService,
                    "\(row) misnamed: \(record?.line ?? "")")
        }
    }

    @Test("-6 on ::1: every IPv6 TCP daemon named, endpoints printed as [::1]:PORT",
          DaemonAvailability.needs(SharedScans.ipv6TCPRows))
    func ipv6TCPRows() async throws {
        try DaemonAvailability.require(SharedScans.ipv6TCPRows)
        let output = try await SharedScans.shared.tcpIPv6()
        #expect(output.run.status == 0 && !output.run.timedOut, "\(output.run)")
        try Self.checkRows(SharedScans.ipv6TCPRows, in: output)
    }

    @Test("-6 -u on ::1: dnsmasq and snmpd over IPv6", DaemonAvailability.needs(SharedScans.ipv6UDPRows))
    func ipv6UDPRows() async throws {
        try DaemonAvailability.require(SharedScans.ipv6UDPRows)
        let output = try await SharedScans.shared.udpIPv6()
        #expect(output.run.status == 0 && !output.run.timedOut, "\(output.run)")
        try Self.checkRows(SharedScans.ipv6UDPRows, in: output)
    }

    /// The refusal warning of a closed UDP port must say which port it is about (amap 5.4 names the target); with
    /// several UDP ports, "port unreachable" alone cannot be acted on.
    @Test("BUG: -u: the ICMP-refusal warning names the closed port", DaemonAvailability.needs(SharedScans.udpRows))
    func udpRefusalWarningNamesThePort() async throws {
        try DaemonAvailability.require(SharedScans.udpRows)
        let output = try await SharedScans.shared.udpIPv4()
        let warnings = output.run.stdoutLines.filter { $0.hasPrefix("Warning:") }
        #expect(!warnings.isEmpty, "no warning for the closed UDP port:\n\(output.run.stdout)")
        for row in SharedScans.udpRows where row.state == "closed" {
            #expect(warnings.contains { $0.contains(row.amapEndpoint) || $0.contains("\(row.address):\(row.port)") },
                    "no warning names \(row.amapEndpoint): \(warnings)")
        }
    }

    /// amap 5.4: `-q` "also hides refused/unreachable warnings".
    @Test("BUG: -q -u: the ICMP-refusal warning of a closed UDP port is hidden",
          DaemonAvailability.needs("closed-udp", "dnsmasq-udp"))
    func quietHidesUDPRefusalWarning() async throws {
        try DaemonAvailability.require("closed-udp", "dnsmasq-udp")
        let closed = try #require(DaemonTable.row("closed-udp"))
        let dns = try #require(DaemonTable.row("dnsmasq-udp"))
        let run = try await AmapExecutable.run(["--nmap", "-q", "-u", "-t", "1", "127.0.0.1", "\(closed.port)",
                                                "\(dns.port)"])
        #expect(run.status == 0, "\(run)")
        #expect(HumanMatchLine.parse(run.stdout).contains { $0.endpoint == dns.amapEndpoint && $0.service == "domain" },
                "control: dnsmasq not named\n\(run)")
        #expect(!run.stdout.contains("Warning:"), "\(run)")
    }

    /// Checks the JSON and human output of a scan of `rows` against the table.
    static func checkRows(_ rows: [DaemonRow], in output: ScanOutput) throws {
        let (records, invalid) = JSONRecord.parse(output.json)
        #expect(invalid.isEmpty, "not JSON: \(invalid)")
        let matches = HumanMatchLine.parse(output.run.stdout)
        let unidentified = HumanMatchLine.unidentified(output.run.stdout) ?? []
        for row in rows {
            let mine = records.filter { $0.address == row.address && $0.port == row.port && $0.proto == row.proto }
            #expect(mine.count == 1, "\(row): \(mine.count) JSON records")
            let lines = matches.filter { $0.endpoint == row.amapEndpoint }
            guard let record = mine.first else { continue }
            if row.state == "closed" {
                #expect(record.state == "closed", "\(row): \(record.line)")
                #expect(lines.isEmpty, "\(row) identified: \(lines)")
                #expect(!unidentified.contains(row.amapEndpoint), "\(row) listed as unidentified: \(unidentified)")
                continue
            }
            #expect(record.state == "open", "\(row): \(record.line)")
            #expect(record.service == row.bareService, "\(row): \(record.line)")
            if !row.products.isEmpty {
                let product = record.product ?? "nil"
                #expect(row.products.contains(product), "\(row): product \(product), expected \(row.products)")
            }
            #expect(lines.contains { $0.service == row.bareService && $0.overSSL == row.isTLS },
                    "\(row): no 'Protocol on \(row.amapEndpoint) matches \(row.bareService)' in \(lines)")
            #expect(lines.allSatisfy { $0.service == row.bareService }, "\(row): \(lines)")
        }
    }
}
