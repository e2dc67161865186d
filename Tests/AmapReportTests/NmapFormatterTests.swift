import AmapModel
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import AmapReport

@Suite struct NmapFormatterTests {
    private let run = NmapRunInfo(arguments: "amap -oX - 127.0.0.1 22 <x>")

    private var events: [ScanEvent] {
        let version = VersionInfo(
            product: "OpenSSH", version: "9.2p1", info: "protocol 2.0", operatingSystem: "Linux",
            cpes: ["cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel"])
        return [
            .identified(Fixture.tcp(22), Fixture.identification("ssh", version: version), response: [],
                        probe: "NULL", overTLS: false),
            .finished(PortResult(endpoint: Fixture.tcp(22), state: .open,
                                 identifications: [Fixture.identification("ssh", version: version)])),
            .finished(PortResult(
                endpoint: Endpoint(host: "localhost", address: "::1", port: 993, transport: .tcp), state: .open,
                identifications: [Fixture.identification(
                    "imap", version: VersionInfo(product: "Dove<cot> & \"co\"/1,2\u{1B}[0m"), tunnelled: true)])),
            .finished(PortResult(endpoint: Fixture.tcp(23), state: .open)),
            .finished(PortResult(endpoint: Fixture.tcp(24), state: .closed)),
        ]
    }

    @Test func ctimeMatchesCStyle() {
        #expect(ReportTimestamp.ctime(Fixture.start, timeZone: Fixture.utc) == "Thu Nov 26 13:55:49 2026")
        let early = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01 00:00:00 UTC, a Sunday
        #expect(ReportTimestamp.ctime(early, timeZone: Fixture.utc) == "Sun Nov  1 00:00:00 2026")
    }

    @Test func grepableLines() {
        let lines = Fixture.lines(Fixture.run(NmapGrepableFormatter(run: run, timeZone: Fixture.utc), events))
        #expect(lines == [
            "# amap v5.4-swift (swift-amap) scan initiated Thu Nov 26 13:55:49 2026 as: amap -oX - 127.0.0.1 22 <x>",
            "Host: 127.0.0.1 ()\tPorts: 22/open/tcp//ssh//OpenSSH 9.2p1 (protocol 2.0)/",
            "Host: ::1 (localhost)\tPorts: 993/open/tcp//ssl|imap//Dove<cot> & \"co\"|1\\x2c2\\x1b[0m/",
            "Host: 127.0.0.1 ()\tPorts: 23/open/tcp/////",
            "# amap done at Thu Nov 26 13:56:13 2026 -- 2 IP addresses scanned in 24.00 seconds",
        ])
    }

    @Test func xmlIsWellFormedAndCarriesTheServiceAttributes() throws {
        let text = Fixture.run(NmapXMLFormatter(run: run, timeZone: Fixture.utc), events)
        let document = try XMLDocument(xmlString: text, options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "nmaprun")
        #expect(root.attribute(forName: "args")?.stringValue == "amap -oX - 127.0.0.1 22 <x>")
        #expect(root.attribute(forName: "startstr")?.stringValue == "Thu Nov 26 13:55:49 2026")
        let hosts = root.elements(forName: "host")
        #expect(hosts.count == 2)  // one per address, all of its ports in it

        let ssh = try #require(hosts.first?.elements(forName: "ports").first?.elements(forName: "port").first)
        #expect(ssh.attribute(forName: "portid")?.stringValue == "22")
        #expect(ssh.elements(forName: "state").first?.attribute(forName: "reason")?.stringValue == "syn-ack")
        let service = try #require(ssh.elements(forName: "service").first)
        #expect(service.attribute(forName: "name")?.stringValue == "ssh")
        #expect(service.attribute(forName: "product")?.stringValue == "OpenSSH")
        #expect(service.attribute(forName: "extrainfo")?.stringValue == "protocol 2.0")
        #expect(service.attribute(forName: "ostype")?.stringValue == "Linux")
        #expect(service.attribute(forName: "method")?.stringValue == "probed")
        #expect(service.attribute(forName: "conf")?.stringValue == "10")
        #expect(service.elements(forName: "cpe").map(\.stringValue) == [
            "cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel",
        ])

        let imapHost = hosts[1]
        #expect(imapHost.elements(forName: "address").first?.attribute(forName: "addrtype")?.stringValue == "ipv6")
        let imap = try #require(
            imapHost.elements(forName: "ports").first?.elements(forName: "port").first?
                .elements(forName: "service").first)
        #expect(imap.attribute(forName: "tunnel")?.stringValue == "ssl")
        #expect(imap.attribute(forName: "product")?.stringValue == "Dove<cot> & \"co\"/1,2\\x1b[0m")
        #expect(!text.unicodeScalars.contains { UnsafeScalars.mustEscape($0) && $0 != "\n" })

        let local = hosts[0].elements(forName: "ports").first?.elements(forName: "port") ?? []
        #expect(local.compactMap { $0.attribute(forName: "portid")?.stringValue } == ["22", "23", "24"])
        #expect(local.dropFirst().first?.elements(forName: "service").isEmpty == true)
        // A few closed ports are listed, as nmap lists them (more than 25 would become <extraports>).
        let closed = local.last?.elements(forName: "state").first
        #expect(closed?.attribute(forName: "state")?.stringValue == "closed")
        #expect(closed?.attribute(forName: "reason")?.stringValue == "conn-refused")
        let stats = root.elements(forName: "runstats").first?.elements(forName: "hosts").first
        #expect(stats?.attribute(forName: "up")?.stringValue == "2")
        #expect(stats?.attribute(forName: "total")?.stringValue == "2")
    }
}
