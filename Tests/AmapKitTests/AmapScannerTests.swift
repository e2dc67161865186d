import AmapKit
import AmapTestSupport
import Foundation
import Testing

@Suite struct AmapScannerTests {
    @Test func namesAnSSHServerAndReportsAClosedPort() async throws {
        let server = try LoopbackTCPServer(greeting: Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8)) { _ in nil }
        defer { server.stop() }
        let closed = try ClosedPort()
        defer { closed.release() }
        let closedPort = closed.port
        let scanner = try AmapScanner()
        var results: [UInt16: PortResult] = [:]
        for await result in try await scanner.results(targets: ["127.0.0.1"], ports: "\(server.port),\(closedPort)") {
            results[result.endpoint.port] = result
        }
        #expect(results.count == 2)
        let ssh = try #require(results[server.port]?.primary)
        #expect(ssh.service == "ssh")
        #expect(ssh.version.product == "OpenSSH")
        #expect(ssh.version.version == "9.2p1")
        #expect(results[closedPort]?.state == .closed)
    }

    @Test func refusesBadTargetsBeforeScanning() async throws {
        let scanner = AmapScanner(database: SignatureDatabase())
        await #expect(throws: TargetSpecError.self) {
            _ = try await scanner.scan(targets: ["127.0.0.1"], ports: "99999")
        }
    }

    @Test func databaseChoiceReportsAMissingNmapInstallation() throws {
        let choice = DatabaseChoice(nmapFiles: ["/nonexistent/nmap-service-probes"])
        #expect(throws: SignatureFileError.self) { _ = try choice.load() }
        #expect(DatabaseChoice(amapPrefix: "x").usesAmapSemantics)
        #expect(!DatabaseChoice(amapPrefix: "x", keepsBuiltin: true).usesAmapSemantics)
        #expect(!DatabaseChoice.builtin.usesAmapSemantics)
    }
}
