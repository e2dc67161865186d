import NIOCore
import NIOEmbedded
import Testing
@testable import AmapEngine

@Suite struct TCPSessionTests {
    /// A session over an EmbeddedChannel whose handler was created without a first exchange (as `TCPConnector`
    /// makes them).
    private func session(byteCap: Int = 4_096, gauge: ResponseMemoryGauge? = nil) throws
        -> (TCPSession, EmbeddedChannel)
    {
        let (stream, sink) = ExchangeEventSink.stream()
        let channel = EmbeddedChannel(handler: ProbeExchangeHandler(first: nil, byteCap: byteCap, sink: sink))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        let session = TCPSession(
            channel: channel, events: stream, sink: sink, byteCap: byteCap, isTLS: false, firstBegun: false,
            gauge: gauge)
        return (session, channel)
    }

    @Test func aFloodIsKeptUpToTheCapAndTheGaugeCountsWhatWasHeld() async throws {
        let gauge = ResponseMemoryGauge()
        var (session, channel) = try session(byteCap: 10, gauge: gauge)
        for chunk in ["0123", "4567", "89ab", "cdef"] { try channel.writeInbound(ByteBuffer(string: chunk)) }
        var sizes: [Int] = []
        let outcome = await session.exchange(BeginExchange(payload: [], waitMilliseconds: 50)) { bytes in
            sizes.append(bytes.count)
            return false
        }
        #expect(outcome == TCPSession.Outcome(bytes: Array("0123456789".utf8), end: .capReached))
        #expect(sizes == [4, 8, 10])
        // All three chunks were in the stream before the first was read: 4 + 4 + 2 bytes held at once.
        #expect(gauge.peakBytesHeldPerConnection == 10)
        _ = try? channel.finish()
    }

    @Test func bannerAndCloseBeforeTheFirstExchangeBelongToIt() async throws {
        // A server that greets and closes (or half-closes) before the scanner begins its NULL probe: the banner came
        // with exchange 0, the close too; the first exchange must still see the banner (it was lost: tcpwrapped).
        var (session, channel) = try session()
        try channel.writeInbound(ByteBuffer(string: "220 half-open service ready\r\n"))
        channel.pipeline.fireChannelInactive()
        let outcome = await session.exchange(BeginExchange(payload: [], waitMilliseconds: 50)) { _ in false }
        #expect(outcome == TCPSession.Outcome(bytes: Array("220 half-open service ready\r\n".utf8), end: .closed))
        _ = try? channel.finish()
    }

    @Test func bannerBeforeTheFirstExchangeIsReadWhileTheConnectionStaysOpen() async throws {
        var (session, channel) = try session()
        try channel.writeInbound(ByteBuffer(string: "SSH-2.0-Test\r\n"))
        let outcome = await session.exchange(BeginExchange(payload: [], waitMilliseconds: 50)) { _ in true }
        #expect(outcome == TCPSession.Outcome(bytes: Array("SSH-2.0-Test\r\n".utf8), end: .satisfied))
        _ = try? channel.finish()
    }

    @Test func readsAreConcatenatedAndTheReaderSeesEverythingSoFar() async throws {
        var (session, channel) = try session()
        try channel.writeInbound(ByteBuffer(string: "SSH-"))
        try channel.writeInbound(ByteBuffer(string: "2.0-x\r\n"))
        var seen: [String] = []
        let outcome = await session.exchange(BeginExchange(payload: [], waitMilliseconds: 50)) { bytes in
            seen.append(String(decoding: bytes, as: UTF8.self))
            return bytes.last == UInt8(ascii: "\n")
        }
        #expect(seen == ["SSH-", "SSH-2.0-x\r\n"])
        #expect(outcome == TCPSession.Outcome(bytes: Array("SSH-2.0-x\r\n".utf8), end: .satisfied))
        _ = try? channel.finish()
    }

    @Test func aBannerBeforeTheFirstExchangeCountsAgainstItsCap() async throws {
        var (session, channel) = try session(byteCap: 6)
        try channel.writeInbound(ByteBuffer(string: "abcd"))
        try channel.writeInbound(ByteBuffer(string: "efgh"))
        let outcome = await session.exchange(BeginExchange(payload: [], waitMilliseconds: 50)) { _ in false }
        #expect(outcome == TCPSession.Outcome(bytes: Array("abcdef".utf8), end: .capReached))
        _ = try? channel.finish()
    }

    @Test func aSecondExchangeDoesNotSeeTheFirstOnesBytes() async throws {
        var (session, channel) = try session()
        try channel.writeInbound(ByteBuffer(string: "banner\r\n"))
        _ = await session.exchange(BeginExchange(payload: [], waitMilliseconds: 50)) { _ in true }
        channel.pipeline.fireChannelInactive()
        let outcome = await session.exchange(BeginExchange(payload: Array("HELP\r\n".utf8), waitMilliseconds: 50)) {
            _ in false
        }
        #expect(outcome == TCPSession.Outcome(bytes: [], end: .closed))
        _ = try? channel.finish()
    }
}
