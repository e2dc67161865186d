import AmapEngine
import AmapModel
import AmapSignatures
import AmapTestSupport
import NIOCore
import NIOPosix
import Testing

/// Answers every chunk it reads with `reply(chunk)`; optionally greets first.
private final class Responder: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: the handler lives on one channel's event loop; `counter` is only touched from its callbacks.
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let greeting: [UInt8]?
    let reply: @Sendable ([UInt8], Int) -> [UInt8]
    private var counter = 0

    init(greeting: [UInt8]? = nil, reply: @escaping @Sendable ([UInt8], Int) -> [UInt8]) {
        self.greeting = greeting
        self.reply = reply
    }

    func channelActive(context: ChannelHandlerContext) {
        if let greeting { context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: greeting)), promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        counter += 1
        let answer = reply(bytes, counter)
        guard !answer.isEmpty else { return }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: answer)), promise: nil)
    }
}

/// A small deterministic generator (SplitMix64), so the "random" server sends the same bytes every run.
private func pseudoRandomBytes(seed: UInt64, count: Int) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
}

/// issue 4: with the built-in database alone, ports that only look like services are reported unidentified.
@Suite struct BuiltinFalsePositiveScanTests {
    static let configuration = ScanConfiguration(
        window: 8, connectTimeoutMilliseconds: 2_000, connectAttempts: 1, responseTimeoutMilliseconds: 250,
        bannerWaitMilliseconds: 250, tlsHandshakeTimeoutMilliseconds: 1_000, reportAllMatches: false,
        udpRetransmits: 0, udpRetransmitIntervalMilliseconds: 100, timing: .fixed)

    enum Behaviour: String, CaseIterable, Sendable {
        case silent, randomBytes, echo, fixedText, fixedTextGreeting
    }

    static func server(_ behaviour: Behaviour) async throws -> any Channel {
        try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) { channel in
            switch behaviour {
            case .silent:
                return
            case .randomBytes:
                try channel.pipeline.syncOperations.addHandler(Responder(
                    greeting: pseudoRandomBytes(seed: 7, count: 64),
                    reply: { _, n in pseudoRandomBytes(seed: UInt64(n) &* 31, count: 48) }))
            case .echo:
                try channel.pipeline.syncOperations.addHandler(Responder(reply: { bytes, _ in bytes }))
            case .fixedText:
                try channel.pipeline.syncOperations.addHandler(Responder(reply: { _, _ in Array("hello\r\n".utf8) }))
            case .fixedTextGreeting:
                try channel.pipeline.syncOperations.addHandler(Responder(
                    greeting: Array("hello\r\n".utf8), reply: { _, _ in Array("hello\r\n".utf8) }))
            }
        }
    }

    @Test(arguments: Behaviour.allCases)
    func lookalikePortIsUnidentified(_ behaviour: Behaviour) async throws {
        let database = try BuiltinDatabase.load().database
        let server = try await Self.server(behaviour)
        defer { server.close(promise: nil) }
        let engine = ScanEngine(
            configuration: Self.configuration,
            planner: NmapProbePlanner(database: database),
            matcher: CombinedMatcher(database: database))
        var identified: [String] = []
        var finished: [PortResult] = []
        for await event in engine.scan([Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server),
                                                 transport: .tcp)]) {
            switch event {
            case .identified(_, let hit, _, let probe, _): identified.append("\(hit.service) via \(probe)")
            case .finished(let result): finished.append(result)
            default: break
            }
        }
        #expect(identified.isEmpty, "\(behaviour): \(identified)")
        #expect(finished.count == 1)
        #expect(finished.first?.state == .open)
        #expect(finished.first?.identifications.isEmpty == true)
    }
}
