import AmapModel
import Foundation
import Testing

@testable import AmapTargets

/// `127.0.0.1:22/tcp`-style strings, for compact expectations.
private func described(_ endpoints: [Endpoint]) -> [String] { endpoints.map(\.description) }

@Suite struct NmapGrepableImporterTests {
    @Test func takesOnlyOpenTCPAndUDPEntries() throws {
        let endpoints = try NmapGrepableImporter.parse(try Fixture.text("nmap-grepable.gnmap"))
        #expect(described(endpoints) == [
            "127.0.0.1:18021/tcp", "127.0.0.1:18022/tcp", "127.0.0.1:18053/udp",
            "192.0.2.10:80/tcp", "192.0.2.10:443/tcp",
            "[::1]:18022/tcp",
        ])
    }

    @Test func badHostOrPortNamesTheLine() {
        let badHost = "# Nmap\nHost: 127.0.0.1 ()\tStatus: Up\nHost: 300.1.1.1 ()\tPorts: 22/open/tcp//ssh///\n"
        #expect(throws: ImportError.invalidHost(format: .nmapGrepable, line: 3, host: "300.1.1.1")) {
            try NmapGrepableImporter.parse(badHost)
        }
        let badPort = "Host: 127.0.0.1 ()\tPorts: 70000/open/tcp//x///\n"
        #expect(throws: ImportError.invalidPort(format: .nmapGrepable, line: 1, port: "70000")) {
            try NmapGrepableImporter.parse(badPort)
        }
        #expect(ImportError.invalidPort(format: .nmapGrepable, line: 1, port: "70000").description
            == "nmap -oG input, line 1: invalid port '70000' (ports are 1-65535)")
    }
}

@Suite struct XMLScanImporterTests {
    @Test func nmapXMLOpenPortsOnly() throws {
        let endpoints = try XMLScanImporter.parse(try Fixture.text("nmap.xml"))
        #expect(described(endpoints) == [
            "127.0.0.1:18021/tcp", "127.0.0.1:18053/udp", "192.0.2.10:80/tcp", "[::1]:18022/tcp",
        ])
    }

    @Test func masscanXML() throws {
        let endpoints = try XMLScanImporter.parse(try Fixture.text("masscan.xml"), format: .masscanXML)
        #expect(described(endpoints) == ["192.0.2.7:80/tcp", "127.0.0.1:53/udp"])
    }

    @Test func malformedXMLReportsALine() {
        let broken = "<nmaprun>\n<host>\n<address addr=\"127.0.0.1\" addrtype=\"ipv4\">\n</nmaprun>\n"
        #expect {
            try XMLScanImporter.parse(broken)
        } throws: { error in
            guard case ImportError.malformed(.nmapXML, let line, _) = error else { return false }
            return line >= 3
        }
    }

    @Test func truncatedDocumentIsRefused() {
        let truncated = "<nmaprun>\n<host><address addr=\"127.0.0.1\" addrtype=\"ipv4\"/>\n"
        let reason = "the document ends inside <host>: the file is truncated"
        #expect(throws: ImportError.malformed(format: .nmapXML, line: 2, reason: reason)) {
            try XMLScanImporter.parse(truncated)
        }
        // Ends right after a start tag: the innermost open element is named, with the line it opened on.
        #expect(throws: ImportError.malformed(format: .nmapXML, line: 1, reason: reason)) {
            try XMLScanImporter.parse("<nmaprun><host>")
        }
    }

    @Test func badAddressAndPortAreReportedWithTheirLine() {
        let badAddress = """
            <nmaprun>
            <host><address addr="127.0.0.999" addrtype="ipv4"/>
            <ports><port protocol="tcp" portid="22"><state state="open"/></port></ports></host>
            </nmaprun>
            """
        #expect(throws: ImportError.invalidHost(format: .nmapXML, line: 2, host: "127.0.0.999")) {
            try XMLScanImporter.parse(badAddress)
        }
        let badPort = """
            <nmaprun>
            <host><address addr="127.0.0.1" addrtype="ipv4"/>
            <ports>
            <port protocol="tcp" portid="0"><state state="open"/></port></ports></host>
            </nmaprun>
            """
        #expect(throws: ImportError.invalidPort(format: .nmapXML, line: 4, port: "0")) {
            try XMLScanImporter.parse(badPort)
        }
    }

    @Test func processingInstructionWithoutDataImports() throws {
        // Crashed the whole process (SIGSEGV) while FoundationXML read the document.
        let text = "<?xml version=\"1.0\"?>\n<?x?>\n<nmaprun><host><address addr=\"127.0.0.1\" addrtype=\"ipv4\"/>"
            + "<ports><port protocol=\"tcp\" portid=\"22\"><state state=\"open\"/></port></ports></host></nmaprun>\n"
        #expect(described(try XMLScanImporter.parse(text)) == ["127.0.0.1:22/tcp"])
        #expect(described(try TargetImporter.parse(text)) == ["127.0.0.1:22/tcp"])
    }

    @Test func fuzzCrashInputIsRefusedCleanlyInEveryFormat() throws {
        // Fuzz/corpus/importers/crash-pi-without-data: the first byte picks the format, the rest is the file.
        // The first byte, 9, picked nmap -oX among 8 formats; among 10 it picks detection, which reads it as nmap -oX.
        let input: [UInt8] = [0x09, 0x09, 0x3C, 0x3F, 0x78, 0x2E, 0x31, 0x4C, 0x41, 0x3F, 0x3E, 0xA2, 0xE9]
        let file = input.dropFirst()
        #expect(ImportFormatDetector.detect(String(decoding: file, as: UTF8.self)) == .nmapXML)
        for format in ImportFormat.allCases.map(Optional.some) + [nil] {
            _ = try? TargetImporter.parse(bytes: file, format: format)
        }
        #expect {
            try TargetImporter.parse(bytes: file, format: .nmapXML)
        } throws: { error in
            guard case ImportError.malformed(.nmapXML, 1, let reason) = error else { return false }
            return reason.hasPrefix("text outside the root element")
        }
    }

    @Test func doctypeSubsetCommentsCDATAAndQuotesDoNotChangeWhatIsImported() throws {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE nmaprun [
            <!ENTITY x "<?a?>">
            <!-- a ] and a > -->
            ]>
            <nmaprun>&x;<![CDATA[<host><address addr="192.0.2.1"/></host>]]>
            <host><address addr='&#49;27.0.0.1' addrtype='ipv4'/><ports>
            <port protocol='udp' portid='53'><state state='open'/></port></ports></host>
            </nmaprun>
            """
        #expect(described(try XMLScanImporter.parse(text)) == ["127.0.0.1:53/udp"])
    }

    @Test func notWellFormedDocumentsAreRefusedWithTheReadersLineAndReason() {
        let mismatched = "<nmaprun>\n<host>\n</ports>\n</nmaprun>\n"
        let reason = "the end tag </ports> does not close <host>, opened on line 2"
        #expect(throws: ImportError.malformed(format: .masscanXML, line: 3, reason: reason)) {
            try XMLScanImporter.parse(mismatched, format: .masscanXML)
        }
        let truncatedTag = "<nmaprun>\n<host>\n<port protocol=\"tcp\" portid="
        #expect(throws: ImportError.malformed(
            format: .nmapXML, line: 3, reason: "the document ends inside the tag <port: the file is truncated")) {
            try XMLScanImporter.parse(truncatedTag)
        }
        #expect {
            try XMLScanImporter.parse("<nmaprun>\n<host><address addr=\"&ip;\"/></host></nmaprun>")
        } throws: { error in
            guard case ImportError.malformed(.nmapXML, 2, let reason) = error else { return false }
            return reason.hasPrefix("unknown entity &ip;")
        }
    }

    @Test func crlfLineEndsImportTheSameAndKeepLineNumbers() throws {
        for (name, format) in [("nmap.xml", ImportFormat.nmapXML), ("masscan.xml", .masscanXML)] {
            let unix = try Fixture.text(name)
            let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
            #expect(try XMLScanImporter.parse(windows, format: format) == XMLScanImporter.parse(unix, format: format))
        }
        let badPort = "<nmaprun>\r\n<host>\r\n<port protocol=\"tcp\" portid=\"x\"/>\r\n</host></nmaprun>"
        #expect(throws: ImportError.invalidPort(format: .nmapXML, line: 3, port: "x")) {
            try XMLScanImporter.parse(badPort)
        }
    }
}

@Suite struct MasscanImporterTests {
    @Test func listFormat() throws {
        let endpoints = try MasscanListImporter.parse(try Fixture.text("masscan.list"))
        #expect(described(endpoints) == [
            "192.0.2.7:80/tcp", "192.0.2.7:443/tcp", "127.0.0.1:53/udp", "[::1]:18022/tcp",
        ])
    }

    @Test func listErrors() {
        #expect(throws: ImportError.malformed(format: .masscanList, line: 2, reason: "unknown record type 'ope'")) {
            try MasscanListImporter.parse("#masscan\nope tcp 80 127.0.0.1 1\n")
        }
        #expect(throws: ImportError.invalidPort(format: .masscanList, line: 1, port: "x")) {
            try MasscanListImporter.parse("open tcp x 127.0.0.1 1\n")
        }
        #expect(throws: ImportError.self) { try MasscanListImporter.parse("open tcp 80\n") }
    }

    @Test func jsonArray() throws {
        let endpoints = try MasscanJSONImporter.parse(try Fixture.text("masscan.json"))
        #expect(described(endpoints) == ["192.0.2.7:80/tcp", "127.0.0.1:53/udp", "192.0.2.8:443/tcp"])
    }

    @Test func oldJSONWithTrailingCommaAndFinishedLine() throws {
        let endpoints = try MasscanJSONImporter.parse(try Fixture.text("masscan-old.json"))
        #expect(described(endpoints) == ["192.0.2.8:22/tcp", "192.0.2.9:25/tcp"])
    }

    @Test func ndjson() throws {
        let endpoints = try MasscanJSONImporter.parse(try Fixture.text("masscan.ndjson"))
        #expect(described(endpoints) == ["192.0.2.7:80/tcp", "127.0.0.1:161/udp"])
    }

    @Test func prettyPrintedDocument() throws {
        let endpoints = try MasscanJSONImporter.parse(try Fixture.text("masscan-pretty.json"))
        #expect(described(endpoints) == ["192.0.2.20:8443/tcp"])
    }

    @Test func jsonErrors() {
        #expect(throws: ImportError.malformed(format: .masscanJSON, line: 2, reason: "not a JSON object on one line")) {
            try MasscanJSONImporter.parse("[\n{\"ip\": \n")
        }
        #expect(throws: ImportError.invalidHost(format: .masscanJSON, line: 1, host: "999.0.0.1")) {
            try MasscanJSONImporter.parse(#"{"ip":"999.0.0.1","ports":[{"port":1,"proto":"tcp","status":"open"}]}"#)
        }
        #expect(throws: ImportError.invalidPort(format: .masscanJSON, line: 1, port: "0")) {
            try MasscanJSONImporter.parse(#"{"ip":"127.0.0.1","ports":[{"port":0,"proto":"tcp","status":"open"}]}"#)
        }
        let expected = ImportError.malformed(format: .masscanJSON, line: 1, reason: "record without an \"ip\" string")
        #expect(throws: expected) {
            try MasscanJSONImporter.parse(#"{"ports":[]}"#)
        }
    }
}

@Suite struct ZmapCSVImporterTests {
    @Test func successfulRowsWithPorts() throws {
        let endpoints = try ZmapCSVImporter.parse(try Fixture.text("zmap.csv"))
        #expect(described(endpoints) == ["127.0.0.1:80/tcp", "192.0.2.5:443/tcp", "192.0.2.7:8080/tcp"])
    }

    @Test func addressOnlyOutputUsesDefaultPorts() throws {
        let text = try Fixture.text("zmap-saddr.csv")
        #expect(throws: ImportError.missingPort(format: .zmapCSV, line: 2, host: "192.0.2.5")) {
            try ZmapCSVImporter.parse(text)
        }
        let options = ImportOptions(defaultPorts: try PortList.parse("22,U:53"))
        #expect(described(try ZmapCSVImporter.parse(text, options: options)) == [
            "192.0.2.5:22/tcp", "192.0.2.5:53/udp", "127.0.0.1:22/tcp", "127.0.0.1:53/udp",
        ])
    }

    @Test func udpClassificationAndErrors() throws {
        let udp = "saddr,sport,classification,success\n127.0.0.1,53,udp,1\n127.0.0.2,53,icmp-unreach,0\n"
        #expect(described(try ZmapCSVImporter.parse(udp)) == ["127.0.0.1:53/udp"])
        let expected = ImportError.malformed(format: .zmapCSV, line: 1, reason: "the header names no 'saddr' column")
        #expect(throws: expected) {
            try ZmapCSVImporter.parse("daddr,dport\n127.0.0.1,80\n")
        }
        #expect(throws: ImportError.malformed(format: .zmapCSV, line: 2, reason: "1 fields where the header has 2")) {
            try ZmapCSVImporter.parse("saddr,sport\n127.0.0.1\n")
        }
        #expect(throws: ImportError.malformed(format: .zmapCSV, line: 2, reason: "unterminated quoted field")) {
            try ZmapCSVImporter.parse("saddr,sport\n\"127.0.0.1,80\n")
        }
    }
}

@Suite struct HostPortListImporterTests {
    @Test func listWithCommentsBracketsAndProtocols() throws {
        let options = ImportOptions(defaultPorts: try PortList.parse("7"))
        let endpoints = try HostPortListImporter.parse(try Fixture.text("hosts.txt"), options: options)
        #expect(described(endpoints) == [
            "127.0.0.1:80/tcp", "127.0.0.1:53/udp", "[::1]:22/tcp", "localhost:18021/tcp", "localhost:18022/tcp",
            "192.0.2.1:1/tcp", "192.0.2.1:2/tcp", "192.0.2.1:3/tcp", "192.0.2.2:7/tcp", "[::1]:7/tcp",
        ])
    }

    @Test func defaultTransportAppliesToPortsWithoutProtocol() throws {
        let endpoints = try HostPortListImporter.parse(
            "127.0.0.1:161\n127.0.0.1:22/TCP\n",
            options: ImportOptions(defaultTransport: .udp)
        )
        #expect(described(endpoints) == ["127.0.0.1:161/udp", "127.0.0.1:22/tcp"])
    }

    @Test func errorsCarryLineNumbers() {
        #expect(throws: ImportError.missingPort(format: .hostPortList, line: 2, host: "127.0.0.1")) {
            try HostPortListImporter.parse("127.0.0.1:22\n127.0.0.1\n")
        }
        #expect(throws: ImportError.invalidPort(format: .hostPortList, line: 1, port: "0")) {
            try HostPortListImporter.parse("127.0.0.1:0")
        }
        #expect(throws: ImportError.invalidPort(format: .hostPortList, line: 1, port: "22/sctp")) {
            try HostPortListImporter.parse("127.0.0.1:22/sctp")
        }
        #expect(throws: ImportError.invalidHost(format: .hostPortList, line: 3, host: "bad host")) {
            try HostPortListImporter.parse("# x\n\nbad host:22\n")
        }
        let reason = "missing ']' after the IPv6 address"
        let expected = ImportError.malformed(format: .hostPortList, line: 1, reason: reason)
        #expect(throws: expected) {
            try HostPortListImporter.parse("[::1:22")
        }
        #expect(throws: ImportError.malformed(format: .hostPortList, line: 1, reason: "expected ':PORT' after ']'")) {
            try HostPortListImporter.parse("[::1]22")
        }
    }
}

@Suite struct ImportFormatDetectionTests {
    @Test(arguments: [
        ("nmap-grepable.gnmap", ImportFormat.nmapGrepable),
        ("nmap.xml", .nmapXML),
        ("masscan.xml", .masscanXML),
        ("masscan.list", .masscanList),
        ("masscan.json", .masscanJSON),
        ("masscan-old.json", .masscanJSON),
        ("masscan.ndjson", .masscanJSON),
        ("masscan-pretty.json", .masscanJSON),
        ("zmap.csv", .zmapCSV),
        ("zmap-saddr.csv", .zmapCSV),
        ("hosts.txt", .hostPortList),
    ])
    func detectsEachFixture(name: String, format: ImportFormat) throws {
        #expect(ImportFormatDetector.detect(try Fixture.text(name)) == format)
    }

    @Test func detectsFromContentNotName() {
        #expect(ImportFormatDetector.detect("[::1]:22\n") == .hostPortList)
        #expect(ImportFormatDetector.detect("  \n[\n") == .masscanJSON)
        #expect(ImportFormatDetector.detect("open tcp 80 192.0.2.1 1390000000\n") == .masscanList)
        #expect(ImportFormatDetector.detect("Host: 127.0.0.1 ()\tPorts: 22/open/tcp////\n") == .nmapGrepable)
        #expect(ImportFormatDetector.detect("") == .hostPortList)
        #expect(ImportFormatDetector.detect("127.0.0.1\n192.0.2.4\n") == .hostPortList)
    }

    @Test func autoDetectingImportMatchesTheExplicitImporter() throws {
        let options = ImportOptions(defaultPorts: try PortList.parse("7"))
        for name in ["nmap-grepable.gnmap", "nmap.xml", "masscan.list", "masscan.json", "zmap.csv", "hosts.txt"] {
            let text = try Fixture.text(name)
            let explicit = try TargetImporter.parse(text, format: ImportFormatDetector.detect(text), options: options)
            #expect(try TargetImporter.parse(text, options: options) == explicit)
            #expect(!explicit.isEmpty)
        }
    }

    @Test func crlfLineEndingsAreAccepted() throws {
        for name in ["nmap-grepable.gnmap", "masscan.list", "masscan.json", "zmap.csv", "hosts.txt"] {
            let unix = try Fixture.text(name)
            let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
            let options = ImportOptions(defaultPorts: try PortList.parse("7"))
            #expect(ImportFormatDetector.detect(windows) == ImportFormatDetector.detect(unix), "\(name)")
            #expect(try TargetImporter.parse(windows, options: options) == TargetImporter.parse(unix, options: options))
        }
        #expect(throws: ImportError.invalidHost(format: .hostPortList, line: 2, host: "bad host")) {
            try HostPortListImporter.parse("127.0.0.1:1\r\nbad host:22\r\n")
        }
    }

    @Test func importerDropsDuplicatesAndReadsFiles() throws {
        let twice = try TargetImporter.parse("127.0.0.1:22\n127.0.0.1:22\n127.0.0.1:23\n")
        #expect(described(twice) == ["127.0.0.1:22/tcp", "127.0.0.1:23/tcp"])
        let fromFile = try TargetFile.read(path: try Fixture.path("masscan.list"))
        #expect(fromFile == (try MasscanListImporter.parse(try Fixture.text("masscan.list"))))
        #expect {
            try TargetFile.read(path: "/nonexistent/amap-targets.txt")
        } throws: { error in
            guard case ImportError.unreadable(let path, _) = error else { return false }
            return path == "/nonexistent/amap-targets.txt"
        }
    }

    @Test func importedEndpointsJoinAScanJob() throws {
        let imported = try TargetImporter.parse(try Fixture.text("masscan.list"))
        let job = try ScanJob(groups: PositionalArguments.split(["127.0.0.1", "22"]), endpoints: imported)
        #expect(job.count == 1 + UInt64(imported.count))
        #expect(Array(job.endpoints).dropFirst() == imported[...])
    }
}

@Suite struct ImportLimitTests {
    @Test func theLineThatWouldCrossTheLimitIsRefusedBeforeItIsExpanded() {
        let options = ImportOptions(endpointLimit: 1_000)
        #expect(throws: ImportError.tooManyEndpoints(format: .hostPortList, line: 3, limit: 1_000)) {
            try HostPortListImporter.parse("127.0.0.1:1-400\n127.0.0.2:1-400\n127.0.0.3:1-400\n", options: options)
        }
        let message = ImportError.tooManyEndpoints(format: .hostPortList, line: 3, limit: 1_000).description
        #expect(message.contains("line 3") && message.contains("1000") && message.contains("--allow-huge-scan"))
    }

    @Test func exactlyTheLimitIsAccepted() throws {
        let options = ImportOptions(endpointLimit: 800)
        let endpoints = try HostPortListImporter.parse("127.0.0.1:1-400\n127.0.0.2:1-400\n", options: options)
        #expect(endpoints.count == 800)
    }

    @Test func everyImporterCountsAgainstTheLimit() {
        let options = ImportOptions(endpointLimit: 1)
        let grepable = "Host: 127.0.0.1 ()\tPorts: 22/open/tcp//ssh///, 80/open/tcp//http///\n"
        #expect(throws: ImportError.tooManyEndpoints(format: .nmapGrepable, line: 1, limit: 1)) {
            try TargetImporter.parse(bytes: Array(grepable.utf8), format: .nmapGrepable, options: options)
        }
        let masscan = "open tcp 22 127.0.0.1 1700000000\nopen tcp 80 127.0.0.1 1700000000\n"
        #expect(throws: ImportError.tooManyEndpoints(format: .masscanList, line: 2, limit: 1)) {
            try TargetImporter.parse(bytes: Array(masscan.utf8), format: .masscanList, options: options)
        }
    }

    @Test func noLimitWhenNil() throws {
        let endpoints = try HostPortListImporter.parse(
            "127.0.0.1:1-\n127.0.0.2:1-\n", options: ImportOptions(endpointLimit: nil))
        #expect(endpoints.count == 2 * 65_535)
    }
}
