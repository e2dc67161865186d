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
    static var ready: Bool {
        TestDaemons.running && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
            && FileManager.default.fileExists(atPath: dtd)
    }

    /// Daemons that greet or answer within milliseconds, so the amap step takes seconds (silent ports are sent
    /// every probe and take minutes). Plus one port where nothing listens, which nmap reports closed.
    static let rowNames = ["vsftpd", "exim", "nginx-http", "dovecot-pop3", "openssh", "dovecot-imap", "redis"]

    @Test(.enabled(if: ready, "needs the daemons (scripts/daemons.sh start), nmap, ndiff and xmllint"))
    func nmapToAmapToNdiff() throws {
        let rows = TestDaemons.rows.filter { Self.rowNames.contains($0.name) }
        #expect(rows.count == Self.rowNames.count)
        let closed = TestDaemons.rows.first { $0.state == "closed" && $0.transport == "tcp" }
        let ports = (rows.map(\.port) + [closed?.port].compactMap { $0 }).map(String.init).joined(separator: ",")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("amap-pipeline-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let nmapXML = folder.appendingPathComponent("nmap.xml").path
        let amapXML = folder.appendingPathComponent("out.xml").path

        let nmap = try AmapBinary.run(
            executable: URL(fileURLWithPath: "/usr/bin/nmap"), ["-Pn", "-n", "-p", ports, "-oX", nmapXML, "127.0.0.1"])
        #expect(nmap.status == 0, "\(nmap.standardError)")

        let amap = try AmapBinary.run(["-i", nmapXML, "-oX", amapXML])
        #expect(amap.status == 0, "\(amap.standardError)")

        let lint = try AmapBinary.run(
            executable: URL(fileURLWithPath: "/usr/bin/xmllint"), ["--noout", "--dtdvalid", Self.dtd, amapXML])
        #expect(lint.status == 0, "\(lint.standardError)")

        // ndiff exits 0 (same) or 1 (different); 2 means it could not read a file.
        let ndiff = try AmapBinary.run(executable: URL(fileURLWithPath: "/usr/bin/ndiff"), [nmapXML, amapXML])
        #expect(ndiff.status == 1, "\(ndiff.standardError)")
        for row in rows {
            // nmap (without -sV) names no version; amap adds the service, which ndiff shows as a `+` line.
            #expect(ndiff.standardOutput.contains("+\(row.port)/tcp open"), "\(row.name): \(ndiff.standardOutput)")
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
