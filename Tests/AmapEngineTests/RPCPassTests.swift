import AmapModel
import AmapSignatures
import AmapTestSupport
import NIOCore
import NIOPosix
import Testing
@testable import AmapEngine

/// amap's RPC pass against a loopback ONC RPC server that serves a program no daemon here offers (NFS, 100003,
/// versions 2-4): a port named `rpc` is asked about each program of the list in order until one answers
/// PROG_MISMATCH; TCP calls share a connection while the server answers them.
@Suite struct RPCPassTests {
    static let programs = [
        RPCProgram(name: "rstatd", number: 100_001, location: SourceLocation(file: "test.rpc", line: 1)),
        RPCProgram(name: "nfs", number: 100_003, location: SourceLocation(file: "test.rpc", line: 2)),
        RPCProgram(name: "mountd", number: 100_005, location: SourceLocation(file: "test.rpc", line: 3)),
    ]
    static let nfs = ONCRPCTestProgram(program: 100_003, low: 2, high: 4)

    struct Outcome {
        var result: PortResult
        var identified: [String]
        var log: RPCCallLog
    }

    private func scan(_ transport: Transport, served: ONCRPCTestProgram = nfs, programs: [RPCProgram] = programs,
                      configure: (inout ScanConfiguration) -> Void = { _ in }) async throws -> Outcome {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = NIOLoopBoundBox.makeBoxSendingValue(RPCCallLog(), eventLoop: group.next())
        let server: any Channel = transport == .tcp
            ? try await LoopbackServers.tcp(group: group) {
                try $0.pipeline.syncOperations.addHandler(ONCRPCStreamHandler(log, served: served))
            }
            : try await LoopbackServers.udp(group: group) { ONCRPCDatagramHandler(log, served: served) }
        var configuration = TimingPromiseTests.defaultOptions
        configuration.responseTimeoutMilliseconds = 1_000
        configure(&configuration)
        let hello = TestProbes.probe("Hello", "HELLO\r\n", transport: transport)
        let engine = ScanEngine(
            configuration: configuration,
            planner: transport == .tcp ? FixedPlanner(tcp: [hello]) : FixedPlanner(udp: [hello]),
            matcher: try PatternMatcher([("^RPC-SERVER", "rpc")]), rpcPrograms: programs)
        var events: [ScanEvent] = []
        let endpoint = Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: transport)
        for await event in engine.scan([endpoint]) { events.append(event) }
        let seen = try await group.next().submit { log.value }.get()
        try await server.close()
        try await group.shutdownGracefully()
        let identified = events.compactMap { event -> String? in
            guard case .identified(_, let hit, _, _, _) = event else { return nil }
            return hit.service + (hit.version.info.map { " (\($0))" } ?? "")
        }
        let result = try #require(events.compactMap { if case .finished(let r) = $0 { r } else { nil } }.first)
        return Outcome(result: result, identified: identified, log: seen)
    }

    @Test(arguments: [Transport.tcp, .udp])
    func amapNamingNamesTheFirstProgramThatAnswersMismatch(_ transport: Transport) async throws {
        let outcome = try await scan(transport) { $0.rpcNaming = .amap }
        #expect(outcome.identified == ["rpc", "rpc-nfs-v4"])
        #expect(outcome.result.identifications.map(\.service) == ["rpc-nfs-v4"])
        // amap's order, and nothing asked after the hit (amap forces -1 in this pass).
        #expect(outcome.log.calls.map(\.program) == [100_001, 100_003])
        if transport == .tcp {
            // The PROG_UNAVAIL answer kept the connection: both calls on one, after the plain pass's own.
            #expect(Set(outcome.log.calls.map(\.connection)).count == 1)
            #expect(outcome.log.connections == 2)
        }
    }

    @Test(arguments: [Transport.tcp, .udp])
    func builtinNamingGivesProgramNumberAndVersions(_ transport: Transport) async throws {
        let outcome = try await scan(transport)
        let hit = try #require(outcome.result.identifications.first)
        #expect(outcome.result.identifications.count == 1)
        #expect(hit.service == "nfs")
        #expect(hit.version.info == "RPC #100003 v2-4")
        #expect(hit.evidence.probeName == Evidence.rpcPassProbeName)
    }

    @Test(arguments: [Transport.tcp, .udp])
    func rpcPassOffSendsNoCall(_ transport: Transport) async throws {
        let outcome = try await scan(transport) { $0.rpcPass = false }
        #expect(outcome.log.calls.isEmpty)
        #expect(outcome.result.identifications.map(\.service) == ["rpc"])
    }

    @Test func aServerThatStopsAnsweringEndsThePassAfterTheSilenceLimit() async throws {
        var silent = Self.nfs
        silent.silent = true
        let many = (1...8).map {
            RPCProgram(name: "p\($0)", number: 200_000 + UInt32($0), location: SourceLocation(file: "t", line: $0))
        }
        let outcome = try await scan(.tcp, served: silent, programs: many) { $0.responseTimeoutMilliseconds = 300 }
        #expect(outcome.result.identifications.map(\.service) == ["rpc"])
        // Eight programs, but the pass gives up after the silence limit (the bound is in calls, not in time, so
        // that the test does not depend on the machine's load).
        #expect(outcome.log.calls.count == RPCPass.silenceLimit)
    }
}
