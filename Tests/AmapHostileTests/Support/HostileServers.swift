import Foundation
import NIOCore
import NIOPosix
import Synchronization

// Hostile behaviours for in-process servers (`LoopbackServers` from AmapTestSupport starts them): each one is a
// small `ChannelHandler`; every timer it schedules is cancelled when its connection ends.

/// A tarpit: accepts, then sends one byte every `interval`, forever (until the client goes away).
final class Tarpit: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let interval: TimeAmount
    private var task: RepeatedTask?

    init(interval: TimeAmount = .seconds(1)) { self.interval = interval }

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        task = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { _ in
            let context = loopBound.value
            context.writeAndFlush(NIOAny(ByteBuffer(bytes: [UInt8(ascii: "x")])), promise: nil)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        task?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

/// A flood: writes `chunk`-byte buffers back to back for as long as the connection is open and writable.
final class Flood: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let chunk: ByteBuffer
    /// Bytes handed to the kernel, for the report.
    let sent: ManagedAtomicCounter

    init(chunkSize: Int = 64 * 1024, sent: ManagedAtomicCounter) {
        chunk = ByteBuffer(repeating: UInt8(ascii: "F"), count: chunkSize)
        self.sent = sent
    }

    func channelActive(context: ChannelHandlerContext) {
        pump(context: context)
        context.fireChannelActive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        pump(context: context)
        context.fireChannelWritabilityChanged()
    }

    private func pump(context: ChannelHandlerContext) {
        while context.channel.isActive && context.channel.isWritable {
            sent.add(chunk.readableBytes)
            context.writeAndFlush(wrapOutboundOut(chunk), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// A byte counter shared between event loops and the test.
final class ManagedAtomicCounter: Sendable {
    private let lock = Mutex(0)
    func add(_ value: Int) { lock.withLock { $0 += value } }
    /// Raises the value to `candidate` if that is larger.
    func raise(to candidate: Int) { lock.withLock { $0 = max($0, candidate) } }
    var value: Int { lock.withLock { $0 } }
}

/// Resets every connection the moment it is accepted (SO_LINGER 0, then close).
final class InstantReset: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        if let provider = channel as? any SocketOptionProvider {
            provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
        } else {
            channel.close(promise: nil)
        }
    }
}

/// Sends `banner`, then shuts down its sending side (a FIN) and keeps reading what the client sends.
final class HalfClose: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let banner: [UInt8]

    init(banner: String) { self.banner = Array(banner.utf8) }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: banner))).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// Reads `budget` bytes of the first request, then resets the connection while the client is still writing.
final class ResetWhileWriting: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private var seen = 0
    private let budget: Int
    /// How many connections were cut mid-request.
    let cuts: ManagedAtomicCounter

    init(budget: Int = 1, cuts: ManagedAtomicCounter) {
        self.budget = budget
        self.cuts = cuts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        seen += unwrapInboundIn(data).readableBytes
        guard seen >= budget, context.channel.isActive else { return }
        cuts.add(1)
        let channel = context.channel
        if let provider = channel as? any SocketOptionProvider {
            provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
        } else {
            channel.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// Answers every read with the same `reply` and sends it as a banner too.
final class SameReplyToEverything: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let reply: [UInt8]
    private let sendsBanner: Bool

    init(reply: [UInt8], sendsBanner: Bool = true) {
        self.reply = reply
        self.sendsBanner = sendsBanner
    }

    func channelActive(context: ChannelHandlerContext) {
        if sendsBanner { context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply)), promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// A fake TLS server: to anything that starts like a ClientHello (`16 03`), it answers with `reply` and then
/// stays silent (or keeps answering); to anything else, it answers a TLS alert so that the scanner tries TLS.
final class FakeTLSServer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let reply: [UInt8]

    init(reply: [UInt8]) { self.reply = reply }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let head = buffer.getBytes(at: buffer.readerIndex, length: min(2, buffer.readableBytes)) ?? []
        if head == [0x16, 0x03] {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: reply)), promise: nil)
        } else {
            // alert(21), TLS 1.2, length 2: fatal(2) unexpected_message(10) — what a TLS port says to plain text.
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0A])),
                                  promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

    /// A syntactically valid TLS 1.2 ServerHello record (RFC 5246 §7.4.1.3: version, 32 random bytes, empty session
    /// id, TLS_RSA_WITH_AES_128_CBC_SHA, no compression), followed by `garbage`.
    static func serverHelloThenGarbage(_ garbage: [UInt8]) -> [UInt8] {
        let body: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 0x42, count: 32) + [0x00, 0x00, 0x2F, 0x00]
        let handshake: [UInt8] = [0x02, 0x00, 0x00, UInt8(body.count)] + body
        let record: [UInt8] = [0x16, 0x03, 0x03, 0x00, UInt8(handshake.count)] + handshake
        return record + garbage
    }

    /// A record header announcing a 16,000-byte handshake record, and only its first few bytes: the handshake can
    /// never finish.
    static let stalledHandshake: [UInt8] = [0x16, 0x03, 0x03, 0x3E, 0x80, 0x02, 0x00, 0x3E]
}

/// A UDP service answering every datagram with `factor` times its size (at least `minimum` bytes), in several
/// datagrams when that exceeds one datagram's maximum.
final class UDPAmplifier: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    private let factor: Int
    private let minimum: Int
    /// Bytes sent back in total.
    let sent: ManagedAtomicCounter
    /// The largest datagram received.
    let largestProbe: ManagedAtomicCounter

    /// The largest UDP payload over IPv4 (65,535 - 20 IP - 8 UDP).
    static let maximumDatagram = 65_507

    init(factor: Int = 50, minimum: Int = 50, sent: ManagedAtomicCounter, largestProbe: ManagedAtomicCounter) {
        self.factor = factor
        self.minimum = minimum
        self.sent = sent
        self.largestProbe = largestProbe
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let size = envelope.data.readableBytes
        largestProbe.raise(to: size)
        var remaining = max(minimum, size * factor)
        while remaining > 0 {
            let count = min(remaining, Self.maximumDatagram)
            remaining -= count
            sent.add(count)
            let reply = ByteBuffer(repeating: UInt8(ascii: "U"), count: count)
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)),
                          promise: nil)
        }
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
