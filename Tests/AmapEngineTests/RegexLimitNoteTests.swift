import AmapModel
import AmapSignatures
import AmapTestSupport
import NIOCore
import NIOPosix
import Testing
@testable import AmapEngine

/// A banner that makes a signature line backtrack past PCRE2's limits is reported in the port's note, not lost.
@Suite struct RegexLimitNoteTests {
    @Test func aLineThatHitTheMatchLimitIsNamedInThePortsNote() async throws {
        // The banner may arrive in more than one read; the line never matches any prefix of it (it needs two bytes
        // other than `a`), and backtracks past the limit on every one.
        let banner = String(repeating: "a", count: 3_000) + "!"
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandler(WriteOnActive(banner))
        }
        defer { server.close(promise: nil) }
        let location = SourceLocation(file: "limit-probes", line: 2)
        let null = Probe(
            name: "NULL", transport: .tcp, payload: [], location: SourceLocation(file: "limit-probes", line: 1),
            signatures: [Signature(service: "bomb", pattern: try CompiledPattern("^(a+)+[^a]{2}"), location: location)])
        let configuration = ScanConfiguration(
            connectTimeoutMilliseconds: 2_000, connectAttempts: 1, responseTimeoutMilliseconds: 300,
            bannerWaitMilliseconds: 300, timing: .fixed)
        let engine = ScanEngine(
            configuration: configuration, planner: FixedPlanner(tcp: [null]),
            matcher: NmapMatcher(database: SignatureDatabase(probes: [null])))
        var results: [PortResult] = []
        let endpoint = Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: .tcp)
        for await event in engine.scan([endpoint]) {
            if case .finished(let result) = event { results.append(result) }
        }
        let result = try #require(results.first)
        #expect(result.identifications.isEmpty)
        #expect(result.note?.contains("regex match limit exceeded") == true, "note: \(result.note ?? "none")")
        #expect(result.note?.contains("limit-probes:2:1") == true)
    }
}
