import AmapModel
import Testing

@testable import AmapTargets

/// The inputs issue 13 found misread: amap's own JSON Lines, zmap's JSON, masscan's `-oG`, a bare list whose ports
/// come from elsewhere, an input with nothing to scan, an nmap XML cut short.
@Suite struct ImportRoundTripFormatTests {
    private func described(_ result: ImportResult) -> [String] { result.endpoints.map(\.description) }

    @Test func amapJSONLinesAreReadBackByAddressWithOnlyTheOpenPorts() throws {
        let text = """
            {"schema_version":2,"host":"localhost","address":"::1","port":22,"proto":"tcp","state":"open"}
            {"schema_version":2,"host":"127.0.0.1","address":"127.0.0.1","port":23,"proto":"tcp","state":"closed"}
            {"schema_version":1,"host":"127.0.0.1","address":"127.0.0.1","port":53,"proto":"udp","state":"open"}
            {"type":"run","run_schema_version":1}

            """
        #expect(ImportFormatDetector.detect(text) == .amapJSON)
        #expect(described(try TargetImporter.read(text)) == ["[::1]:22/tcp", "127.0.0.1:53/udp"])
        #expect(throws: ImportError.malformed(format: .amapJSON, line: 1, reason:
            "record without address, port, proto and state")) {
            try TargetImporter.read("{\"schema_version\":2,\"address\":\"127.0.0.1\"}\n")
        }
    }

    @Test func zmapJSONKeepsSuccessfulRepliesAndUsesTheDefaultPortsWithoutSport() throws {
        let text = """
            {"saddr":"192.0.2.1","sport":443,"classification":"synack","success":1}
            {"saddr":"192.0.2.2","sport":443,"classification":"rst","success":0}
            {"saddr":"192.0.2.3","sport":80,"success":true}

            """
        #expect(ImportFormatDetector.detect(text) == .zmapJSON)
        #expect(described(try TargetImporter.read(text)) == ["192.0.2.1:443/tcp", "192.0.2.3:80/tcp"])
        let bare = "{\"saddr\":\"192.0.2.9\"}\n"
        #expect(throws: ImportError.missingPort(format: .zmapJSON, line: 1, host: "192.0.2.9")) {
            try TargetImporter.read(bare)
        }
        let ports = try PortList.parse("22,80")
        #expect(described(try TargetImporter.read(bare, options: ImportOptions(defaultPorts: ports)))
            == ["192.0.2.9:22/tcp", "192.0.2.9:80/tcp"])
    }

    @Test func masscanGrepableLinesStartWithATimestamp() throws {
        let text = "# Masscan 1.3.2 scan initiated Thu Dec  3 12:00:00 2026\n# Ports scanned: TCP(2;22-23) UDP(0;) "
            + "SCTP(0;) PROTOCOLS(0;)\nTimestamp: 1796300000\tHost: 192.0.2.1 ()\tPorts: 22/open/tcp////\n"
            + "Timestamp: 1796300001\tHost: 192.0.2.2 ()\tPorts: 23/closed/tcp////\n# Masscan done at …\n"
        #expect(ImportFormatDetector.detect(text) == .nmapGrepable)
        #expect(described(try TargetImporter.read(text)) == ["192.0.2.1:22/tcp"])
        // Without the header line too.
        let body = "Timestamp: 1796300000\tHost: 192.0.2.1 ()\tPorts: 22/open/tcp////\n"
        #expect(ImportFormatDetector.detect(body) == .nmapGrepable)
    }

    @Test func anInputWithNothingToScanIsAnErrorThatSaysWhy() throws {
        let closedOnly = "Host: 192.0.2.1 ()\tPorts: 23/closed/tcp//telnet///\n"
        #expect(throws: ImportError.nothingToScan(format: .nmapGrepable)) { try TargetImporter.read(closedOnly) }
        #expect(ImportError.nothingToScan(format: .nmapGrepable).description
            == "nmap -oG input: nothing to scan: it lists no open port (closed, filtered and open|filtered ports "
            + "are not read)")
        #expect(throws: ImportError.nothingToScan(format: .hostPortList)) { try TargetImporter.read("# none\n") }
    }

    @Test func anXMLCutShortKeepsItsCompleteHostsAndWarns() throws {
        let head = """
            <?xml version="1.0"?>
            <nmaprun scanner="nmap">
            <host><address addr="192.0.2.1" addrtype="ipv4"/><ports>
            <port protocol="tcp" portid="22"><state state="open"/></port></ports></host>
            <host><address addr="192.0.2.2" addrtype="ipv4"/><ports>
            <port protocol="tcp" portid="80"><state state="open"/></port></ports></host>
            <host><address addr="192.0.2.3" addrtype="ipv4"/><ports>
            <port protocol="tcp" portid="443"><state state="open"/>
            """
        let result = try TargetImporter.read(head)
        #expect(described(result) == ["192.0.2.1:22/tcp", "192.0.2.2:80/tcp"])
        #expect(result.warnings.count == 1)
        let warning = try #require(result.warnings.first)
        #expect(warning.description.hasPrefix("nmap -oX input, line "))
        #expect(warning.description.hasSuffix("(cut short?); read the 2 complete hosts before it"), "\(warning)")
        // Cut inside the first host: nothing complete, so the file is refused as before.
        let firstHostOnly = String(head.prefix(while: { $0 != "/" }))
        #expect(throws: ImportError.self) { try TargetImporter.read(firstHostOnly + "\n<host>") }
    }
}
