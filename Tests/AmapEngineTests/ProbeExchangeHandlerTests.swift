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

    @Test func reportsEachReadWithOnlyItsNewBytes() async throws {
        let events = try await events(first: BeginExchange(payload: [], waitMilliseconds: 100)) { channel in
            try channel.writeInbound(ByteBuffer(string: "SSH-"))
            try channel.writeInbound(ByteBuffer(string: "2.0"))
        }
        #expect(events.prefix(2) == [
            .received(exchange: 1, bytes: Array("SSH-".utf8), capReached: false),
            .received(exchange: 1, bytes: Array("2.0".utf8), capReached: false),
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
        #expect(received.map(\.0) == [Array("abc".utf8), Array("de".utf8)])
        #expect(received.map(\.1) == [false, true])
    }

    @Test func stopsReadingTheSocketOnceTheCapIsReachedUntilTheNextExchange() async throws {
        let reads = ReadCounter()
        let (stream, sink) = ExchangeEventSink.stream()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(reads)
        try channel.pipeline.syncOperations.addHandler(
            ProbeExchangeHandler(first: BeginExchange(payload: [], waitMilliseconds: 100), byteCap: 4, sink: sink))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        channel.read()
        #expect(reads.count == 1, "below the cap, reads go to the socket")
        try channel.writeInbound(ByteBuffer(string: "flood"))
        channel.read()
        channel.read()
        #expect(reads.count == 1, "at the cap, no read reaches the socket: the flood waits in the kernel")
        channel.pipeline.triggerUserOutboundEvent(BeginExchange(payload: [], waitMilliseconds: 100), promise: nil)
        #expect(reads.count == 2, "the next exchange asks for the held-back read")
        try channel.writeInbound(ByteBuffer(string: "more"))
        _ = try? channel.finish()
        var chunks: [[UInt8]] = []
        for await event in stream { if case .received(_, let bytes, _) = event { chunks.append(bytes) } }
        #expect(chunks == [Array("floo".utf8), Array("more".utf8)])
        #expect(sink.delivered.value == 8, "nothing was taken out of the stream: all 8 bytes are still counted")
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
        // Reported once, when it arrives (exchange 0, before any probe): the reader takes it as the first exchange's
        // answer, so it is not delivered a second time.
        #expect(events.filter { if case .received = $0 { true } else { false } }
            == [.received(exchange: 0, bytes: Array("220 hi".utf8), capReached: false)])
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

/// Counts the `read` requests that pass down the pipeline towards the socket.
private final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = Any
    private(set) var count = 0

    func read(context: ChannelHandlerContext) {
        count += 1
        context.read()
    }
}
