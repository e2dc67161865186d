import AmapTestSupport
import Foundation
import Testing

/// `-p NAME` with the built-in database: amap's trigger names select the built-in probes that carry them as aliases
/// (`#@ amap NAME`), the probes' own names work too, and a name that selects nothing is a fatal error listing the
/// valid names.
@Suite("amap -p NAME with the built-in database", .timeLimit(.minutes(2)))
struct TriggerNameTests {
    /// An HTTP server on a port no HTTP probe lists; it answers only an HTTP request.
    static func httpServer() throws -> LoopbackTCPServer {
        try LoopbackTCPServer { received in
            String(decoding: received, as: UTF8.self).hasPrefix("GET ")
                ? Array("HTTP/1.0 200 OK\r\nServer: e2e-http\r\nContent-Length: 0\r\n\r\n".utf8) : nil
        }
    }

    @Test("-p http (amap's name) and -p HTTPGet (the probe's own) name an HTTP server; only that probe is sent",
          arguments: ["http", "HTTPGet"])
    func amapNameSelectsTheBuiltinProbe(_ name: String) async throws {
        let server = try Self.httpServer()
        defer { server.stop() }
        let run = try await AmapExecutable.run(["-p", name, "-t", "2", "127.0.0.1", "\(server.port)"])
        #expect(run.status == 0, "\(run)")
        #expect(HumanMatchLine.parse(run.stdout).map(\.service) == ["http"], "\(run)")
        #expect(server.connections.allSatisfy { String(decoding: $0, as: UTF8.self).hasPrefix("GET / HTTP/1.0") },
                "\(server.connections.map { String(decoding: $0.prefix(20), as: UTF8.self) })")
    }

    @Test("-p nosuch: exit 255, amap's 'no triggers loaded', and the valid names (amap's and the probes')")
    func unknownNameIsFatal() async throws {
        let run = try await AmapExecutable.run(["-p", "nosuch", "127.0.0.1", "1"])
        #expect(run.status == 255, "\(run)")
        #expect(run.stderr.contains("Error: no triggers loaded: -p 'nosuch'"), "\(run)")
        let names = Set(run.stderr.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        for name in ["http", "ssl", "ms-sql", "rpc", "HTTPGet", "TLSClientHello"] {
            #expect(names.contains(name), "\(name) not listed: \(run.stderr)")
        }
    }
}
