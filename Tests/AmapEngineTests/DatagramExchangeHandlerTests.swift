import NIOCore
import NIOEmbedded
import Testing
@testable import AmapEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct DatagramExchangeHandlerTests {
    private let peer = try! SocketAddress(ipAddress: "127.0.0.1", port: 53)

    private func run(
        _ plan: DatagramExchangeHandler.Plan,
        byteCap: Int = 4_096,
        _ body: (EmbeddedChannel) throws -> Void
    ) async throws -> [ExchangeEvent] {
        let (stream, sink) = ExchangeEventSink.stream()
        let channel = EmbeddedChannel(handler: DatagramExchangeHandler(plan: plan, byteCap: byteCap, sink: sink))
        try channel.connect(to: peer).wait()
        try body(channel)
        _ = try? channel.finish()
        var collected: [ExchangeEvent] = []
        for await event in stream { collected.append(event) }
        return collected
    }

    private func plan(retransmits: Int = 0) -> DatagramExchangeHandler.Plan {
        .init(payload: [0x00], waitMilliseconds: 300, retransmits: retransmits, retransmitIntervalMilliseconds: 100)
    }

    @Test func retransmitsUntilAnswered() async throws {
        var sends = 0
        let events = try await run(plan(retransmits: 5)) { channel in
            while try channel.readOutbound(as: ByteBuffer.self) != nil { sends += 1 }
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
            while try channel.readOutbound(as: ByteBuffer.self) != nil { sends += 1 }
            try channel.writeInbound(AddressedEnvelope(remoteAddress: peer, data: ByteBuffer(string: "pong")))
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(150))
            while try channel.readOutbound(as: ByteBuffer.self) != nil { sends += 1 }
        }
        #expect(sends == 2)
        #expect(events.first == .received(exchange: 1, bytes: Array("pong".utf8), capReached: false))
    }

    @Test func stopsRetransmittingAtTheCount() async throws {
        var sends = 0
        let events = try await run(plan(retransmits: 1)) { channel in
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(300))
            while try channel.readOutbound(as: ByteBuffer.self) != nil { sends += 1 }
        }
        #expect(sends == 2)
        #expect(events.contains(.deadlineReached(exchange: 1)))
    }

    @Test func refusalIsReported() async throws {
        let events = try await run(plan()) { channel in
            channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNREFUSED, reason: "recvmsg"))
        }
        #expect(events.first == .refused(exchange: 1))
    }

    @Test func honoursTheByteCap() async throws {
        let events = try await run(plan(), byteCap: 3) { channel in
            try channel.writeInbound(AddressedEnvelope(remoteAddress: peer, data: ByteBuffer(string: "abcdef")))
        }
        #expect(events.first == .received(exchange: 1, bytes: Array("abc".utf8), capReached: true))
    }
}
