import AmapTestSupport
import Foundation
import Testing

/// One `amap --nmap` run over every IPv4 TCP row of the port table, written three ways at once (human lines on
/// stdout, `-oJ` JSON Lines, `-m -o` machine log); each test checks one aspect of that run.
@Suite(
    "amap --nmap: every IPv4 TCP daemon of the table (one shared scan)",
    .timeLimit(.minutes(4)),
    DaemonAvailability.needs(SharedScans.tcpRows)
)
struct FullTCPScanTests {
    /// Rows the installed nmap 7.93 database cannot name (nmap -sV reports them `unknown` too, see
    /// docs/reference/nmap-sV-daemons.txt): it has no MQTT probe and no match for Prosody's stream error. They
    /// must still be reported open, and never under a wrong name; `BuiltinDatabaseTests` covers them.
    /// nmap's EPMD line expects port 4369 inside the answer, and it has no line for vsftpd's 421 refusal, Redis'
    /// protected-mode refusal, privoxy's 400, git-daemon, NATS or beanstalkd on these ports (nmap -sV: `unknown`).
    /// Its iperf3 probe goes only to port 5201 (on 18201 nmap's SSL/TLS probes may draw iperf3's one-byte answer,
    /// but only when iperf3 is not busy with another connection; scripts/nmap-differential.py).
    static let beyondNmapDatabase: Set<String> = [
        "mosquitto", "prosody-c2s", "prosody-s2s", "epmd", "redis-protected", "vsftpd-full", "privoxy", "git-daemon",
        "nats", "beanstalkd", "oidentd", "distccd", "zabbix-agent", "etcd", "erlnode", "murmur", "iperf3",
        // issue 14 part 2
        "pgbouncer", "dante", "tarantool", "influxdb", "haproxy", "h2o", "nbd", "node-inspector",
        // issue 14 part 3: STUN over TCP, QEMU's monitors, Snapcast
        "coturn-tcp", "qemu-qmp", "qemu-hmp", "snapserver",
    ]

    /// nmap's database itself names cfingerd `nagios-nsca` (nmap -sV agrees), from its answer to a probe for
    /// a user that does not exist. (NATS was named `mongodb` here by a MongoDB line matched across probes; with
    /// nmap's database an answer is now named only by its own probe's chain, as nmap does, so NATS is `unknown`.)
    /// Transmission's RPC port is `http` to nmap's database (with a Transmission product) and `transmission-rpc` in
    /// the table.
    static let misnamedUnderNmap: Set<String> = ["cfingerd", "transmission"]

    static var identifiable: [DaemonRow] {
        SharedScans.tcpRows.filter {
            $0.state == "open" && !beyondNmapDatabase.contains($0.name) && !misnamedUnderNmap.contains($0.name)
        }
    }

    func scan() async throws -> ScanOutput {
        try DaemonAvailability.require(SharedScans.tcpRows)
        return try await SharedScans.shared.tcpIPv4()
    }

    @Test("the scan ends by itself, with status 0, and its wall time is printed")
    func scanFinishes() async throws {
        let output = try await scan()
        let seconds = String(format: "%.1f", output.run.seconds)
        print("amap --nmap over \(SharedScans.tcpRows.count) IPv4 TCP ports: \(seconds) s wall "
              + "(tests run in parallel, so other scans share the machine)")
        #expect(!output.run.timedOut, "\(output.run)")
        #expect(output.run.status == 0, "\(output.run)")
        #expect(output.run.stdout.contains("APPLICATION MAPPING mode"))
        #expect(output.run.stdoutLines.contains { $0.hasPrefix("amap ") && $0.contains(" finished at ") })
    }

    @Test("JSON: one record per port; every daemon open with its service, tunnel and product")
    func jsonNamesEveryDaemon() async throws {
        let output = try await scan()
        let (records, invalid) = JSONRecord.parse(output.json)
        #expect(invalid.isEmpty, "lines that are not JSON objects: \(invalid)")
        for row in SharedScans.tcpRows {
            let mine = records.filter { $0.address == row.address && $0.port == row.port && $0.proto == "tcp" }
            #expect(mine.count == 1, "\(row): \(mine.count) JSON records")
            guard let record = mine.first else { continue }
            switch row.state {
            case "open":
                #expect(record.state == "open", "\(row): \(record.line)")
                if Self.misnamedUnderNmap.contains(row.name) { continue }
                if Self.beyondNmapDatabase.contains(row.name) {
                    // A TLS row nmap's database cannot name inside is at least `ssl`.
                    #expect(record.service == nil || record.service == row.bareService
                            || (row.isTLS && record.service == "ssl"), "\(row): \(record.line)")
                    continue
                }
                #expect(record.service == row.bareService, "\(row): \(record.line)")
                #expect(record.tunnel == (row.isTLS ? "ssl" : nil), "\(row): \(record.line)")
                if !row.products.isEmpty {
                    let product = record.product ?? "nil"
                    #expect(row.products.contains(product), "\(row): product \(product), expected \(row.products)")
                }
            case "silent":
                #expect(record.state == "open", "\(row): \(record.line)")
                #expect(record.service == nil && record.identifications.isEmpty, "\(row): \(record.line)")
            default:
                #expect(record.state == "closed", "\(row): \(record.line)")
                #expect(record.identifications.isEmpty, "\(row): \(record.line)")
            }
        }
    }

    @Test("human lines: a 'Protocol on … matches SERVICE (PRODUCT …)' line per daemon; silent unidentified, closed not")
    func humanLinesNameEveryDaemon() async throws {
        let output = try await scan()
        let matches = HumanMatchLine.parse(output.run.stdout)
        for row in Self.identifiable {
            let mine = matches.filter { $0.endpoint == row.amapEndpoint }
            #expect(mine.contains { $0.service == row.bareService && $0.overSSL == row.isTLS },
                    "\(row): expected 'matches \(row.bareService)'\(row.isTLS ? " over SSL" : ""), got \(mine)")
            if !row.products.isEmpty {
                #expect(mine.contains { line in row.products.contains { line.detail?.hasPrefix($0) == true } },
                        "\(row): no line names \(row.products): \(mine)")
            }
            #expect(mine.allSatisfy { $0.service == row.bareService }, "\(row): a wrong service named: \(mine)")
        }
        let unidentified = HumanMatchLine.unidentified(output.run.stdout)
        #expect(unidentified != nil, "no 'Unidentified ports:' line:\n\(output.run.stdout)")
        for row in SharedScans.tcpRows where row.state != "open" {
            #expect(!matches.contains { $0.endpoint == row.amapEndpoint }, "\(row) was identified")
            // A silent open port is an unidentified service; a closed one is not (issue 12).
            #expect(unidentified?.contains(row.amapEndpoint) == (row.state != "closed"),
                    "\(row) (\(row.state)) in \(unidentified ?? [])")
        }
        for row in Self.identifiable {
            #expect(unidentified?.contains(row.amapEndpoint) == false, "\(row) listed as unidentified")
        }
    }

    @Test("-m -o: eight fields per record, the IDs per port, silent open and unidentified, closed never open")
    func machineLogIDsPerPort() async throws {
        let output = try await scan()
        let lines = output.machine.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("# amap ") == true && lines.first?.hasSuffix("- MAPPING mode") == true,
                "header: \(lines.first ?? "none")")
        let legend = "# IP_ADDRESS:PORT:PROTOCOL:PORT_STATUS:SSL:IDENTIFICATION:PRINTABLE_BANNER:FULL_BANNER"
        #expect(lines.contains(legend))
        let (records, malformed) = MachineLine.parseLog(output.machine)
        #expect(malformed.isEmpty, "lines without 8 fields: \(malformed)")
        for record in records {
            #expect(!record.printableBanner.contains(":"), "printable banner with a colon: \(record)")
            let full = record.fullBanner
            let hex = full.hasPrefix("0x") && full.dropFirst(2).allSatisfy(\.isHexDigit) && full.count % 2 == 0
            let quoted = full.count >= 2 && full.hasPrefix("\"") && full.hasSuffix("\"")
            #expect(full.isEmpty || hex || quoted, "full banner is neither \"text\" nor 0xhex: \(record)")
            #expect(["open", "closed", "timeout"].contains(record.status), "\(record)")
            #expect(["", "SSL"].contains(record.ssl), "\(record)")
        }
        for row in SharedScans.tcpRows {
            let mine = records.filter { $0.address == row.address && $0.port == row.port && $0.proto == "tcp" }
            switch row.state {
            case "open" where !Self.beyondNmapDatabase.contains(row.name) && !Self.misnamedUnderNmap.contains(row.name):
                #expect(mine.contains {
                    $0.status == "open" && $0.identification == row.bareService && $0.ssl == (row.isTLS ? "SSL" : "")
                }, "\(row): \(mine)")
                #expect(mine.allSatisfy { $0.identification == row.bareService }, "\(row): \(mine)")
            case "open":
                #expect(!mine.isEmpty && mine.allSatisfy { $0.status == "open" }, "\(row): \(mine)")
            case "silent":
                #expect(mine.map(\.identification) == ["unidentified"] && mine.first?.status == "open",
                        "\(row): \(mine)")
            default:
                #expect(mine.map(\.status) == ["closed"] && mine.first?.identification == "unidentified",
                        "\(row): \(mine)")
            }
        }
        let ssh = records.first { $0.port == DaemonTable.row("openssh")?.port }
        #expect(ssh?.fullBanner.hasPrefix("\"SSH-2.0-OpenSSH_") == true, "\(String(describing: ssh))")
    }

    @Test("every JSON line conforms to docs/json-lines.schema.json and keeps the documented key order")
    func everyJSONLineMatchesSchema() async throws {
        let output = try await scan()
        let checker = try JSONSchemaChecker.load()
        let required = checker.root["required"] as? [String] ?? []
        #expect(!required.isEmpty)
        let lines = output.json.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.last == "", "the file does not end with a newline")
        let records = lines.filter { !$0.isEmpty }
        let ports = SharedScans.tcpRows.count
        #expect(records.count == ports, "\(records.count) lines for \(ports) ports")
        for line in records {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else {
                Issue.record("not JSON: \(line)")
                continue
            }
            let problems = checker.problems(object)
            #expect(problems.isEmpty, "\(problems) in \(line)")
            let positions = required.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.count == required.count && positions == positions.sorted(),
                    "keys missing or out of the documented order: \(line)")
        }
    }

    /// Fixed since it was reported (soft `pop3` was streamed before `pop3 (Dovecot pop3d)`); kept as a guard.
    @Test("a soft match is not printed before the hard match of the same service on the same port")
    func softMatchNotPrintedBeforeHardMatch() async throws {
        let output = try await scan()
        let matches = HumanMatchLine.parse(output.run.stdout)
        var misordered: [String] = []
        for hard in matches where hard.detail != nil {
            if matches.contains(where: {
                $0.endpoint == hard.endpoint && $0.service == hard.service && $0.overSSL == hard.overSSL
                    && $0.detail == nil && $0.index < hard.index
            }) {
                misordered.append("\(hard.endpoint) \(hard.service)")
            }
        }
        #expect(misordered.isEmpty, "soft before hard on \(misordered)")
    }

    /// nmap -sV names this port `irc`. amap --nmap does too, but not on every run: sometimes probing ends after the
    /// GetRequest answer (`ERROR :"Oops, HTTP request received? This is IRC!"`) matched nothing and the port is
    /// reported unidentified (measured: 9 of 10 runs alone, worse under load). Reproduce:
    /// `for i in $(seq 10); do amap --nmap 127.0.0.1 18667 | grep -c 'matches irc'; done`.
    @Test("BUG: --nmap names ngircd as irc on every run (identification is timing-dependent)",
          DaemonAvailability.needs("ngircd"))
    func nmapDatabaseNamesNgircd() async throws {
        let row = try #require(DaemonTable.row("ngircd"))
        try DaemonAvailability.require([row])
        for attempt in 1...5 {
            let run = try await AmapExecutable.run(["--nmap", "127.0.0.1", "\(row.port)"])
            #expect(run.status == 0, "\(run)")
            let named = HumanMatchLine.parse(run.stdout).contains {
                $0.endpoint == row.amapEndpoint && $0.service == "irc"
            }
            #expect(named, "run \(attempt) of 5: \(run)")
        }
    }
}
