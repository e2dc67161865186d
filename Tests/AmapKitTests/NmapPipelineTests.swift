import AmapTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The pipeline users build: `nmap -oX` finds open ports, `amap -i nmap.xml -oX out.xml` names them, and nmap's own
/// tools read amap's XML: `xmllint` validates it against nmap's DTD and `ndiff` compares it with nmap's.
@Suite struct NmapPipelineTests {
    static let tools = ["/usr/bin/nmap", "/usr/bin/ndiff", "/usr/bin/xmllint"]
    static let dtd = "/usr/share/nmap/nmap.dtd"
    static var toolsInstalled: Bool {
        tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } && FileManager.default.fileExists(atPath: dtd)
    }

    /// Daemons that greet or answer within milliseconds, so the amap step takes seconds (silent ports are sent
    /// every probe and take minutes). Plus one port where nothing listens, which nmap reports closed.
    static let rowNames = ["vsftpd", "exim", "nginx-http", "dovecot-pop3", "openssh", "dovecot-imap", "redis"]

    @Test(.enabled(if: toolsInstalled, "needs nmap, ndiff and xmllint"), DaemonAvailability.needs(DaemonAvailability.rows(rowNames)))
    func nmapToAmapToNdiff() async throws {
        let rows = DaemonAvailability.rows(Self.rowNames)
        try DaemonAvailability.require(rows)
        let closed = DaemonTable.rows.first { $0.state == "closed" && $0.proto == "tcp" }
        let ports = (rows.map(\.port) + [closed?.port].compactMap { $0 }).map(String.init).joined(separator: ",")
        let scratch = try Scratch("pipeline")
        defer { scratch.remove() }
        let nmapXML = scratch.file("nmap.xml").path
        let amapXML = scratch.file("out.xml").path

        let nmap = try await Subprocess.run(URL(fileURLWithPath: "/usr/bin/nmap"), arguments: ["-Pn", "-n", "-p", ports, "-oX", nmapXML, "127.0.0.1"])
        #expect(nmap.status == 0, "\(nmap.stderr)")

        let amap = try await AmapExecutable.run(["-i", nmapXML, "-oX", amapXML])
        #expect(amap.status == 0, "\(amap.stderr)")

        let lint = try await Subprocess.run(URL(fileURLWithPath: "/usr/bin/xmllint"), arguments: ["--noout", "--dtdvalid", Self.dtd, amapXML])
        #expect(lint.status == 0, "\(lint.stderr)")

        // ndiff exits 0 (same) or 1 (different); 2 means it could not read a file.
        let ndiff = try await Subprocess.run(URL(fileURLWithPath: "/usr/bin/ndiff"), arguments: [nmapXML, amapXML])
        #expect(ndiff.status == 1, "\(ndiff.stderr)")
        for row in rows {
            // nmap (without -sV) names no version; amap adds the service, which ndiff shows as a `+` line.
            #expect(ndiff.stdout.contains("+\(row.port)/tcp open"), "\(row.name): \(ndiff.stdout)")
        }

        // amap scanned exactly the ports nmap found open, and named each as the table says.
        let root = try #require(try XMLDocument(contentsOf: URL(fileURLWithPath: amapXML), options: []).rootElement())
        var services: [String: String] = [:]
        for port in try root.nodes(forXPath: "host/ports/port") {
            guard let port = port as? XMLElement, let id = port.attribute(forName: "portid")?.stringValue else {
                continue
            }
            services[id] = port.elements(forName: "service").first?.attribute(forName: "name")?.stringValue ?? ""
        }
        #expect(Set(services.keys) == Set(rows.map { String($0.port) }))
        for row in rows {
            #expect(services[String(row.port)] == row.service, "\(row.name)")
        }
    }
}
