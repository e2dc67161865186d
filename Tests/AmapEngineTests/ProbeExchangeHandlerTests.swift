import NIOCore
import NIOEmbedded
import NIOTLS
import Testing
@testable import AmapEngine

@Suite struct ProbeExchangeHandlerTests {
    /// Runs `body` against an active EmbeddedChannel holding a handler, then returns every event it reported.
    private func events(
        first: BeginExchange?,
        start: ProbeExchangeHandler.Start = .onActive,
        byteCap: Int = 4_096,
        _ body: (EmbeddedChannel) throws -> Void
    ) async throws -> [ExchangeEvent] {
        let (stream, sink) = ExchangeEventSink.stream()
        let channel = EmbeddedChannel(
            handler: ProbeExchangeHandler(first: first, start: start, byteCap: byteCap, sink: sink))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        try body(channel)
        _ = try? channel.finish()
        var collected: [ExchangeEvent] = []
        for await event in stream { collected.append(event) }
        return collected
    }

    @Test func writesThePayloadWhenActive() async throws {
        var written: ByteBuffer?
        _ = try await events(first: BeginExchange(payload: Array("HELLO\r\n".utf8), waitMilliseconds: 100)) {
            written = try $0.readOutbound(as: ByteBuffer.self)
        }
        #expect(written.map { String(buffer: $0) } == "HELLO\r\n")
    }

    @Test func nullProbeWritesNothing() async throws {
        var written: ByteBuffer?
        _ = try await events(first: BeginExchange(payload: [], waitMilliseconds: 100)) {
            written = try $0.readOutbound(as: ByteBuffer.self)
        }
        #expect(written == nil)
    }

    @Test func accumulatesReadsAndReportsEach() async throws {
        let events = try await events(first: BeginExchange(payload: [], waitMilliseconds: 100)) { channel in
            try channel.writeInbound(ByteBuffer(string: "SSH-"))
            try channel.writeInbound(ByteBuffer(string: "2.0"))
        }
        #expect(events.prefix(2) == [
            .received(exchange: 1, bytes: Array("SSH-".utf8), capReached: false),
            .received(exchange: 1, bytes: Array("SSH-2.0".utf8), capReached: false),
        ])
        #expect(events.last == .closed(exchange: 1))
    }

    @Test func honoursTheByteCap() async throws {
        let events = try await events(first: BeginExchange(payload: [], waitMilliseconds: 100), byteCap: 5) {
            try $0.writeInbound(ByteBuffer(string: "abc"))
            try $0.writeInbound(ByteBuffer(string: "defgh"))
            try $0.writeInbound(ByteBuffer(string: "ijk"))
        }
        let received = events.compactMap { event -> ([UInt8], Bool)? in
            if case .received(_, let bytes, let cap) = event { return (bytes, cap) }
            return nil
        }
        #expect(received.count == 2)
        #expect(received.last?.0 == Array("abcde".utf8))
        #expect(received.last?.1 == true)
    }

    @Test func reportsTheDeadlineOnce() async throws {
        let events = try await events(first: BeginExchange(payload: [], waitMilliseconds: 200)) { channel in
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(199))
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(500))
        }
        #expect(events.filter { $0 == .deadlineReached(exchange: 1) }.count == 1)
        #expect(events.first == .deadlineReached(exchange: 1))
    }

    @Test func reportsEOF() async throws {
        let events = try await events(first: BeginExchange(payload: [], waitMilliseconds: 100)) { channel in
            channel.pipeline.fireChannelInactive()
        }
        #expect(events.contains(.closed(exchange: 1)))
        #expect(!events.contains(.deadlineReached(exchange: 1)))
    }

    @Test func laterExchangeOnTheSameConnectionStartsClean() async throws {
        var second: ByteBuffer?
        let events = try await events(first: BeginExchange(payload: [], waitMilliseconds: 50)) { channel in
            try channel.writeInbound(ByteBuffer(string: "banner"))
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
            channel.pipeline.triggerUserOutboundEvent(BeginExchange(payload: Array("GET".utf8), waitMilliseconds: 50),
                                                      promise: nil)
            second = try channel.readOutbound(as: ByteBuffer.self)
            try channel.writeInbound(ByteBuffer(string: "reply"))
        }
        #expect(second.map { String(buffer: $0) } == "GET")
        #expect(events.contains(.deadlineReached(exchange: 1)))
        #expect(events.contains(.received(exchange: 2, bytes: Array("reply".utf8), capReached: false)))
    }

    @Test func bannerBeforeTheFirstExchangeIsKept() async throws {
        let events = try await events(first: nil) { channel in
            try channel.writeInbound(ByteBuffer(string: "220 hi"))
            channel.pipeline.triggerUserOutboundEvent(BeginExchange(payload: [], waitMilliseconds: 50), promise: nil)
        }
        // Reported when it arrives (exchange 0, before any probe) and again as the first exchange's answer.
        #expect(events.contains(.received(exchange: 1, bytes: Array("220 hi".utf8), capReached: false)))
    }

    @Test func tlsStartWaitsForTheHandshake() async throws {
        var beforeHandshake: ByteBuffer?
        var afterHandshake: ByteBuffer?
        let events = try await events(
            first: BeginExchange(payload: Array("x".utf8), waitMilliseconds: 50),
            start: .afterTLSHandshake(timeoutMilliseconds: 100)
        ) { channel in
            beforeHandshake = try channel.readOutbound(as: ByteBuffer.self)
            channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
            afterHandshake = try channel.readOutbound(as: ByteBuffer.self)
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        }
        #expect(beforeHandshake == nil)
        #expect(afterHandshake.map { String(buffer: $0) } == "x")
        #expect(events.first == .tlsHandshakeCompleted)
        #expect(!events.contains(.tlsHandshakeTimedOut))
    }

    @Test func tlsHandshakeTimesOut() async throws {
        let events = try await events(first: nil, start: .afterTLSHandshake(timeoutMilliseconds: 100)) { channel in
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(100))
        }
        #expect(events.first == .tlsHandshakeTimedOut)
    }
}
