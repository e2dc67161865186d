import AmapTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// amap's `-oX` read by the programs nmap users already run on nmap's XML: xmllint against nmap.dtd, nmap.xsl through
/// xsltproc, python3-nmap, python3-libnmap and ndiff, on the daemon suite's ports.
@Suite("nmap's consumers read amap -oX", .timeLimit(.minutes(5)))
struct NmapConsumerTests {
    /// Daemons that greet or answer within milliseconds on both addresses, and a closed port.
    static let rowNames = [
        "openssh", "exim", "nginx-http", "dovecot-imap", "redis", "dovecot-pop3", "closed-tcp",
        "openssh-v6", "exim-v6", "nginx-http-v6", "dovecot-imap-v6", "redis-v6",
    ]
    static var rows: [DaemonRow] { DaemonAvailability.rows(rowNames) }
    static var ipv4Rows: [DaemonRow] { rows.filter { !$0.isIPv6 } }

    /// `amap -oX FILE 127.0.0.1 PORTS ::1 PORTS` (two addresses, each with several ports).
    static func bothAddresses() async throws -> String {
        try await ConsumerScans.shared.xml("both") {
            ["127.0.0.1"] + DaemonTable.portArguments(ipv4Rows)
                + ["::1"] + DaemonTable.portArguments(rows.filter(\.isIPv6))
        }
    }

    @Test("-oX is valid against nmap.dtd and has one <host> per address, each with all its ports",
          DaemonAvailability.needs(rows), ExternalTool.needs(.xmllint))
    func validAndOneHostPerAddress() async throws {
        try DaemonAvailability.require(Self.rows)
        try ExternalTool.require(.xmllint)
        let path = try await Self.bothAddresses()
        let lint = try await ExternalTool.xmllint.run(["--noout", "--dtdvalid", ExternalTool.dtd, path])
        #expect(lint.status == 0, "\(lint)")
        let report = try XMLReport(path: path)
        // Exactly one element per address, in the order the hosts finished (streamed, so either order).
        #expect(report.addresses.sorted() == ["127.0.0.1", "::1"], "\(report.text)")
        for row in Self.rows {
            #expect(report.ports[row.address]?[row.port]?.state == (row.state == "closed" ? "closed" : "open"),
                    "\(row.name): \(report.text)")
        }
        #expect(report.hostsUp == 2 && report.hostsTotal == 2, "\(report.text)")
    }

    @Test("nmap.xsl through xsltproc gives every HTML element a unique id",
          DaemonAvailability.needs(rows), ExternalTool.needs(.xsltproc))
    func stylesheetIdsAreUnique() async throws {
        try DaemonAvailability.require(Self.rows)
        try ExternalTool.require(.xsltproc)
        let path = try await Self.bothAddresses()
        let html = try await ExternalTool.xsltproc.run([ExternalTool.stylesheet, path])
        #expect(html.status == 0, "\(html)")
        let ids = Self.matches(of: #"\bid="([^"]*)""#, in: html.stdout)
        #expect(ids.contains("hostblock_127.0.0.1") && ids.contains("hostblock_::1"), "\(ids)")
        let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "ids used more than once: \(repeated)")
    }

    @Test("python3-nmap's PortScanner().analyse_nmap_xml_scan reads every port of every host",
          DaemonAvailability.needs(rows), ExternalTool.needs(.pythonNmap))
    func pythonNmapReadsEveryPort() async throws {
        try DaemonAvailability.require(Self.rows)
        try ExternalTool.require(.pythonNmap)
        let path = try await Self.bothAddresses()
        let script = """
            import json, sys, nmap
            result = nmap.PortScanner().analyse_nmap_xml_scan(open(sys.argv[1]).read())
            hosts = {}
            for address, host in result["scan"].items():
                hosts[address] = {f"{port}/{proto}": [info["state"], info["name"]]
                                  for proto in ("tcp", "udp") for port, info in host.get(proto, {}).items()}
            stats = result["nmap"]["scanstats"]
            print(json.dumps({"hosts": hosts, "up": int(stats["uphosts"]), "total": int(stats["totalhosts"])}))
            """
        let run = try await ExternalTool.pythonNmap.python(script, [path])
        #expect(run.status == 0, "\(run)")
        try Self.expectEveryPort(read: run.stdout, report: try XMLReport(path: path))
    }

    @Test("python3-libnmap's NmapParser.parse_fromstring reads every port and counts the hosts",
          DaemonAvailability.needs(rows), ExternalTool.needs(.pythonLibnmap))
    func pythonLibnmapReadsEveryPort() async throws {
        try DaemonAvailability.require(Self.rows)
        try ExternalTool.require(.pythonLibnmap)
        let path = try await Self.bothAddresses()
        let script = """
            import json, sys
            from libnmap.parser import NmapParser
            report = NmapParser.parse_fromstring(open(sys.argv[1]).read())
            hosts = {}
            for host in report.hosts:
                ports = hosts.setdefault(host.address, {})
                for service in host.services:
                    ports[f"{service.port}/{service.protocol}"] = [service.state, service.service]
            print(json.dumps({"hosts": hosts, "up": report.hosts_up, "total": report.hosts_total,
                              "elements": len(report.hosts)}))
            """
        let run = try await ExternalTool.pythonLibnmap.python(script, [path])
        #expect(run.status == 0, "\(run)")
        try Self.expectEveryPort(read: run.stdout, report: try XMLReport(path: path))
        let counts = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(counts?["elements"] as? Int == 2, "\(run)")
    }

    @Test("ndiff of two identical scans finds no difference and exits 0",
          DaemonAvailability.needs(rows), ExternalTool.needs(.ndiff))
    func ndiffOfIdenticalScans() async throws {
        try DaemonAvailability.require(Self.rows)
        try ExternalTool.require(.ndiff)
        let first = try await Self.bothAddresses()
        let second = try await ConsumerScans.shared.xml("both-again") {
            ["127.0.0.1"] + DaemonTable.portArguments(Self.ipv4Rows)
                + ["::1"] + DaemonTable.portArguments(Self.rows.filter(\.isIPv6))
        }
        let ndiff = try await ExternalTool.ndiff.run([first, second])
        #expect(ndiff.status == 0, "\(ndiff)")
    }

    @Test("ndiff between nmap -sV's XML and amap's of the same ports pairs the host; only services differ",
          DaemonAvailability.needs(ipv4Rows), ExternalTool.needs(.ndiff, .nmap))
    func ndiffAgainstNmapVersionScan() async throws {
        try DaemonAvailability.require(Self.ipv4Rows)
        try ExternalTool.require(.ndiff, .nmap)
        let ports = DaemonTable.portArguments(Self.ipv4Rows)
        let amapXML = try await ConsumerScans.shared.xml("ipv4") { ["127.0.0.1"] + ports }
        let scratch = try Scratch("ndiff")
        defer { scratch.remove() }
        let nmapXML = scratch.file("nmap.xml").path
        let nmap = try await ExternalTool.nmap.run(
            ["-sV", "-Pn", "-n", "-p", ports.joined(separator: ","), "-oX", nmapXML, "127.0.0.1"],
            timeout: .seconds(180))
        #expect(nmap.status == 0, "\(nmap)")
        // --xml: the structure says what paired; in the text output a paired host is one unmarked address line.
        let ndiff = try await ExternalTool.ndiff.run(["--xml", nmapXML, amapXML])
        #expect(ndiff.status == 0 || ndiff.status == 1, "\(ndiff)")
        let diff = try XMLDocument(xmlString: ndiff.stdout, options: [])
        let hostDiffs = try diff.nodes(forXPath: "//hostdiff").compactMap { $0 as? XMLElement }
        #expect(hostDiffs.count <= 1, "\(ndiff.stdout)")
        for hostDiff in hostDiffs {
            // An unpaired host sits under <a> or <b>; a paired one is a <host> directly in the <hostdiff>.
            #expect(hostDiff.elements(forName: "a").isEmpty && hostDiff.elements(forName: "b").isEmpty,
                    "the host did not pair: \(ndiff.stdout)")
            let host = hostDiff.elements(forName: "host").first
            #expect(host != nil, "\(ndiff.stdout)")
            // Whatever differs beside the ports (status, names, OS) would be an <a>/<b> pair in the host.
            for child in host?.children?.compactMap({ $0 as? XMLElement }) ?? [] {
                #expect(["address", "hostnames", "ports"].contains(child.name ?? ""),
                        "a difference beyond services: \(child.xmlString)")
            }
            let portDiffs = try host?.nodes(forXPath: "ports/portdiff").compactMap { $0 as? XMLElement } ?? []
            for portDiff in portDiffs {
                // A paired port is one <port> with one common <state>; one side's port alone sits under <a>/<b>.
                let port = portDiff.elements(forName: "port").first
                #expect(port?.elements(forName: "state").count == 1,
                        "not the same port and state: \(portDiff.xmlString)")
                for side in (port?.elements(forName: "a") ?? []) + (port?.elements(forName: "b") ?? []) {
                    let names = side.children?.compactMap { ($0 as? XMLElement)?.name } ?? []
                    #expect(names.allSatisfy { $0 == "service" },
                            "more than the service differs: \(portDiff.xmlString)")
                }
            }
        }
        let plain = try await ExternalTool.ndiff.run([nmapXML, amapXML])
        #expect(plain.stdout.split(separator: "\n").contains(" 127.0.0.1:"), "\(plain)")
    }

    /// Checks that a consumer's JSON (`hosts: {address: {"port/proto": [state, service]}}`, `up`, `total`) lists every
    /// port of the XML with the XML's state and service.
    static func expectEveryPort(read output: String, report: XMLReport) throws {
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        let hosts = object?["hosts"] as? [String: [String: [String]]] ?? [:]
        #expect(Set(hosts.keys) == Set(report.addresses), "\(output)")
        for (address, ports) in report.ports {
            for (port, entry) in ports {
                let read = hosts[address]?["\(port)/tcp"]
                #expect(read?.first == entry.state, "\(address) \(port): \(output)")
                #expect(read?.last == (entry.service ?? read?.last), "\(address) \(port): \(output)")
            }
            #expect(hosts[address]?.count == ports.count, "\(address): \(output)")
        }
        #expect(object?["up"] as? Int == report.hostsUp && object?["total"] as? Int == report.hostsTotal, "\(output)")
    }

    static func matches(of pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

/// amap's `-oX` of the daemon ports, parsed with Foundation's XML reader.
struct XMLReport {
    let text: String
    /// Addresses in the order of their `<host>` elements (one element each when the output is right).
    let addresses: [String]
    /// Address → TCP port → state and service name.
    let ports: [String: [Int: (state: String, service: String?)]]
    let hostsUp: Int
    let hostsTotal: Int

    init(path: String) throws {
        text = try String(contentsOfFile: path, encoding: .utf8)
        let root = try XMLDocument(xmlString: text, options: []).rootElement()
        var addresses: [String] = []
        var ports: [String: [Int: (state: String, service: String?)]] = [:]
        for host in root?.elements(forName: "host") ?? [] {
            let address = host.elements(forName: "address").first?.attribute(forName: "addr")?.stringValue ?? ""
            addresses.append(address)
            for port in host.elements(forName: "ports").first?.elements(forName: "port") ?? [] {
                guard let id = port.attribute(forName: "portid")?.stringValue.flatMap(Int.init) else { continue }
                let state = port.elements(forName: "state").first?.attribute(forName: "state")?.stringValue ?? ""
                let service = port.elements(forName: "service").first?.attribute(forName: "name")?.stringValue
                ports[address, default: [:]][id] = (state, service)
            }
        }
        self.addresses = addresses
        self.ports = ports
        let stats = root?.elements(forName: "runstats").first?.elements(forName: "hosts").first
        hostsUp = Int(stats?.attribute(forName: "up")?.stringValue ?? "") ?? -1
        hostsTotal = Int(stats?.attribute(forName: "total")?.stringValue ?? "") ?? -1
    }
}

/// The `-oX` scans the consumer tests share: each runs once per test run.
actor ConsumerScans {
    static let shared = ConsumerScans()
    private var tasks: [String: Task<String, any Error>] = [:]
    private var scratch: Scratch?

    /// The path of `amap -oX FILE ARGUMENTS`, run once per key.
    func xml(_ key: String, _ arguments: @escaping @Sendable () -> [String]) async throws -> String {
        if let task = tasks[key] { return try await task.value }
        let folder = try scratch ?? Scratch("consumers")
        scratch = folder
        let task = Task {
            let path = folder.file("\(key).xml").path
            let run = try await AmapExecutable.run(["-oX", path] + arguments(), timeout: .seconds(120))
            guard run.status == 0 else { throw ScanFailed(run: run) }
            return path
        }
        tasks[key] = task
        return try await task.value
    }

    struct ScanFailed: Error, CustomStringConvertible {
        let run: AmapRun
        var description: String { "\(run)" }
    }
}
