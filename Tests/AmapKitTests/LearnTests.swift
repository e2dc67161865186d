import AmapKit
import AmapTestSupport
import Foundation
import Testing

@Suite struct LearnTests {
    static let greeting = Array("XYZZY-SERVER 4.2.1 ready\r\n".utf8)

    /// Silent unless the client's bytes start with HELP.
    static func helpServer() throws -> LoopbackTCPServer {
        try LoopbackTCPServer { received in
            received.starts(with: Array("HELP".utf8)) ? greeting : nil
        }
    }

    @Test func amapLearnProposesASignatureThatIdentifiesTheServer() async throws {
        let server = try Self.helpServer()
        defer { server.stop() }
        let scratch = try Scratch("learn")
        defer { scratch.remove() }
        let file = scratch.file("learned.probes")
        let run = try await AmapExecutable.run(["learn", "-w", "300", "-n", "20", "-o", file.path, "127.0.0.1",
                                      String(server.port)])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Probe TCP Learned q|HELP\\r\\n|"))
        #expect(run.stdout.contains("match xyzzy-server m|^XYZZY-SERVER ([\\d.]+) ready\\r\\n| v/$1/"))

        let text = try #require(FileManager.default.contents(atPath: file.path))
        #expect(String(decoding: text, as: UTF8.self) == run.stdout)
        let loaded = try ServiceProbesLoader.load(bytes: [UInt8](text), fileName: "learned.probes", strict: true)
        let probe = try #require(loaded.database.probe(named: "Learned", transport: .tcp))
        #expect(probe.ports.contains(server.port))

        // Scan the server with only the learned file: it is named, with the version captured.
        let scanner = AmapScanner(database: loaded.database, configuration: ScanConfiguration(
            window: 4, responseTimeoutMilliseconds: 1_000, bannerWaitMilliseconds: 300, reportAllMatches: false, timing: .fixed))
        var found: [PortResult] = []
        for await result in try await scanner.results(targets: ["127.0.0.1"], ports: String(server.port)) {
            found.append(result)
        }
        let identification = try #require(found.first?.primary)
        #expect(identification.service == "xyzzy-server")
        #expect(identification.version.version == "4.2.1")
    }

    @Test func randomInputsFindWhatTheStructuredOnesMiss() async throws {
        // Answers only a payload holding the byte 0xAB: no structured opener has it, random binary soon does.
        let server = try LoopbackTCPServer { received in received.contains(0xAB) ? Self.greeting : nil }
        defer { server.stop() }
        let endpoint = Endpoint(host: "127.0.0.1", port: server.port, transport: .tcp)
        let learner = ServiceLearner(limits: .init(waitMilliseconds: 100, pauseMilliseconds: 0))
        let inputs = LearningInputs.structured + LearningInputs.random(count: 60, seed: 4, lengths: 8...64,
                                                                       kinds: [.binary])
        let outcome = await learner.learn(endpoint, inputs: inputs)
        guard case .answered(let input, let response, let attempts) = outcome else {
            Issue.record("no answer: \(outcome)")
            return
        }
        #expect(input.name.hasPrefix("random-"))
        #expect(input.payload.contains(0xAB))
        #expect(response == Self.greeting)
        #expect(attempts > LearningInputs.structured.count)
    }

    @Test func silentAndClosedPortsEndWithoutAProposal() async throws {
        let silent = try LoopbackTCPServer { _ in nil }
        let port = silent.port
        let learner = ServiceLearner(limits: .init(waitMilliseconds: 50, pauseMilliseconds: 0))
        let endpoint = Endpoint(host: "127.0.0.1", port: port, transport: .tcp)
        let inputs = Array(LearningInputs.structured.prefix(4))
        #expect(await learner.learn(endpoint, inputs: inputs) == .exhausted(attempts: 4))
        let short = ServiceLearner(limits: .init(waitMilliseconds: 50, maximumDuration: .milliseconds(1)))
        if case .timedOut = await short.learn(endpoint, inputs: inputs) {} else { Issue.record("expected timedOut") }
        silent.stop()
        if case .closed = await learner.learn(endpoint, inputs: inputs) {} else { Issue.record("expected closed") }

        let refused = try await AmapExecutable.run(["learn", "-w", "50", "-n", "0", "127.0.0.1", String(port)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is closed"))
        let bad = try await AmapExecutable.run(["learn", "-M", "0,9", "127.0.0.1", String(port)])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("-M needs MIN,MAX"))
    }
}
