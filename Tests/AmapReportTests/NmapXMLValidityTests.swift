import AmapModel
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import AmapReport

/// The `-oX` output must be valid against nmap's DTD, which nmap's own tools (ndiff, zenmap) rely on.
@Suite struct NmapXMLValidityTests {
    private static let dtd = "/usr/share/nmap/nmap.dtd"
    private static let xmllint = "/usr/bin/xmllint"

    private var events: [ScanEvent] {
        let ssh = VersionInfo(product: "OpenSSH", version: "9.2p1", info: "protocol 2.0", operatingSystem: "Linux",
                              cpes: ["cpe:/a:openbsd:openssh:9.2p1"])
        return [
            .finished(PortResult(endpoint: Fixture.tcp(22), state: .open,
                                 identifications: [Fixture.identification("ssh", version: ssh)])),
            .finished(PortResult(
                endpoint: Endpoint(host: "localhost", address: "::1", port: 993, transport: .tcp), state: .open,
                identifications: [Fixture.identification("imap", tunnelled: true)])),
            .finished(PortResult(endpoint: Fixture.udp(53), state: .openFiltered)),
            .finished(PortResult(endpoint: Fixture.tcp(24), state: .closed)),
        ] + (30_000..<30_040).map { .finished(PortResult(endpoint: Fixture.tcp($0), state: .closed)) }
            + (30_000..<30_030).map { .finished(PortResult(endpoint: Fixture.udp($0), state: .openFiltered)) }
            + [.finished(PortResult(endpoint: Fixture.tcp(22, "127.0.0.2"), state: .filtered))]
            + [
                .finished(PortResult(endpoint: Fixture.tcp(443), state: .open,
                                     identifications: [Fixture.identification("http", tunnelled: true)],
                                     tls: Self.certificate)),
                .finished(PortResult(endpoint: Fixture.tcp(444), state: .unknown, status: .localResourceError)),
                .finished(PortResult(endpoint: Fixture.tcp(445), state: .filtered, status: .unknownError)),
            ]
            + Self.startTLSEvents
    }

    /// Certificate facts, with a subject a server chose to be hostile.
    static let certificate = TLSDetails(
        protocolVersion: "TLSv1.3", subject: "CN=a\"b<c>&d\u{1B}", issuer: "CN=ca,O=swift-amap",
        notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z",
        subjectAlternativeNames: ["DNS:a.test", "IP:127.0.0.1"],
        sha256Fingerprint: Array(repeating: "AB", count: 32).joined(separator: ":"), keyType: "rsa", keyBits: 2048)

    @Test func certificateFactsAreAnSSLCertScriptWithReadableOutputAndElements() throws {
        let text = Fixture.run(NmapXMLFormatter(run: NmapRunInfo(arguments: "amap -oX x"), timeZone: Fixture.utc),
                               events)
        let document = try XMLDocument(xmlString: text, options: [])
        let script = try #require(try document.nodes(forXPath: "//port[@portid='443']/script[@id='ssl-cert']").first
            as? XMLElement)
        let output = try #require(script.attribute(forName: "output")?.stringValue)
        #expect(output.split(separator: "\n").first == "Subject: CN=a\"b<c>&d\\x1b")
        #expect(output.contains("\nSubject Alternative Name: DNS:a.test, IP:127.0.0.1\n"))
        #expect(output.contains("\nPublic Key bits: 2048\n"))
        func value(_ path: String) throws -> String? {
            try script.nodes(forXPath: path).first?.stringValue
        }
        #expect(try value("elem[@key='sha256']") == Array(repeating: "AB", count: 32).joined(separator: ":"))
        #expect(try value("table[@key='pubkey']/elem[@key='type']") == "rsa")
        #expect(try value("table[@key='validity']/elem[@key='notAfter']") == "2027-01-01T00:00:00Z")
        #expect(try script.nodes(forXPath: "table[@key='subjectAltName']/elem").compactMap(\.stringValue)
            == ["DNS:a.test", "IP:127.0.0.1"])
    }

    /// `--starttls` results: an upgrade with every certificate fact, and a refused one (`<script id="ssl-cert">`).
    static let startTLSEvents: [ScanEvent] = [
        .finished(PortResult(
            endpoint: Fixture.tcp(25), state: .open, identifications: [Fixture.identification("smtp")],
            tls: TLSDetails(
                protocolVersion: "TLSv1.3", subject: "CN=mail,O=A & B <test>", issuer: "CN=CA",
                notBefore: "2026-01-01T00:00:00Z", notAfter: "2026-02-01T00:00:00Z",
                subjectAlternativeNames: ["DNS:mail", "IP:127.0.0.1"],
                sha256Fingerprint: Array(repeating: "AB", count: 32).joined(separator: ":"), chainLength: 2,
                startTLS: true))),
        .finished(PortResult(
            endpoint: Fixture.tcp(143), state: .open, identifications: [Fixture.identification("imap")],
            tls: TLSDetails(startTLS: true, startTLSError: "refused: STARTTLS: a1 NO \"not now\""))),
    ]

    @Test func startTLSResultsBecomeAnSSLCertScriptElement() throws {
        let text = Fixture.run(NmapXMLFormatter(run: NmapRunInfo(arguments: "amap -oX x"), timeZone: Fixture.utc),
                               Self.startTLSEvents)
        let document = try XMLDocument(xmlString: text, options: [])
        let scripts = try document.nodes(forXPath: "//port/script[@id='ssl-cert']").compactMap { $0 as? XMLElement }
        #expect(scripts.count == 2)
        let output = try #require(scripts.first?.attribute(forName: "output")?.stringValue)
        #expect(output.contains("Subject: CN=mail,O=A & B <test>\n"))
        #expect(output.contains("Subject Alternative Name: DNS:mail, IP:127.0.0.1"))
        let sha = try document.nodes(forXPath: "//script/elem[@key='sha256']").first?.stringValue
        #expect(sha?.hasPrefix("AB:AB:") == true)
        let refused = try #require(scripts.last?.attribute(forName: "output")?.stringValue)
        #expect(refused == "STARTTLS refused: STARTTLS: a1 NO \"not now\"")
    }

    @Test func scannerAttributeIsTheOnlyValueTheDTDAllowsAndTheProgramIsNamedInAComment() throws {
        let text = Fixture.run(NmapXMLFormatter(run: NmapRunInfo(arguments: "amap -oX x"), timeZone: Fixture.utc),
                               events)
        let root = try #require(try XMLDocument(xmlString: text, options: []).rootElement())
        #expect(root.attribute(forName: "scanner")?.stringValue == "nmap")
        #expect(root.attribute(forName: "version")?.stringValue == "5.4-swift")
        #expect(text.contains("<!-- amap 5.4-swift (swift-amap) -->\n<nmaprun "))
    }

    @Test func brandingCannotBreakTheComment() throws {
        let branding = ReportBranding(program: "a--b-", version: "1 -->", resource: "<x>", contact: "")
        let info = NmapRunInfo(arguments: "", branding: branding)
        let text = Fixture.run(NmapXMLFormatter(run: info, timeZone: Fixture.utc), events)
        let comment = try #require(text.split(separator: "\n").first { $0.hasPrefix("<!--") })
        #expect(!comment.dropFirst(4).dropLast(3).contains("--"))
        #expect(try XMLDocument(xmlString: text, options: []).rootElement()?.name == "nmaprun")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: xmllint)
                   && FileManager.default.fileExists(atPath: dtd),
                   "needs xmllint (libxml2-utils) and nmap's DTD (nmap-common)"))
    func validatesAgainstNmapsDTD() throws {
        for includesClosed in [false, true] {
            let info = NmapRunInfo(arguments: "amap -oX out.xml 127.0.0.1 22", includesClosedPorts: includesClosed)
            let text = Fixture.run(NmapXMLFormatter(run: info, timeZone: Fixture.utc), events)
            let file = FileManager.default.temporaryDirectory
                .appendingPathComponent("amap-dtd-\(UUID().uuidString).xml")
            try Data(text.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.xmllint)
            process.arguments = ["--noout", "--dtdvalid", Self.dtd, file.path]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(message)")
        }
    }
}
