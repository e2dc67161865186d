import AmapTestSupport
import Foundation
import NIOCore
import NIOPosix

/// An in-process SOCKS5 server on 127.0.0.1 that misbehaves on purpose, and plays the target too: a tunnel it opens
/// leads to itself, which greets like an SSH server. Nothing is relayed anywhere.
final class FakeSOCKS5Proxy: Sendable {
    /// How it misbehaves.
    enum Behaviour: Sendable {
        /// Reads the greeting and closes the connection: a proxy failing mid-handshake.
        case dropAfterGreeting
        /// Serves every CONNECT, except one to `dropPort`: that connection is closed with no reply.
        case dropConnect(toPort: UInt16)
        /// Wants username/password; accepts them on the first `accepted` connections and refuses them afterwards
        /// (a proxy whose account is locked mid-scan).
        case refuseCredentials(afterConnections: Int)
    }

    /// The banner a served tunnel shows: an SSH greeting (RFC 4253 §4.2).
    static let banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"

    private let server: any Channel
    private let counter: ConnectionCounter

    /// The port it listens on.
    var port: UInt16 { LoopbackServers.port(of: server) }

    init(_ behaviour: Behaviour) async throws {
        let counter = ConnectionCounter()
        self.counter = counter
        server = try await LoopbackServers.tcp { channel in
            try channel.pipeline.syncOperations.addHandler(
                FakeSOCKS5Handler(behaviour: behaviour, connection: counter.next()))
        }
    }

    /// Connections accepted so far.
    var connections: Int { counter.value }

    func stop() async {
        try? await server.close()
    }
}

/// Counts connections across the server's event loops.
///
/// `@unchecked Sendable` is sound: `count` is only read and written with `lock` held.
final class ConnectionCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }

    var value: Int { lock.withLock { count } }
}

/// The server side of RFC 1928/1929, just enough for the behaviours.
final class FakeSOCKS5Handler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Stage { case greeting, authentication, request, tunnel }

    private let behaviour: FakeSOCKS5Proxy.Behaviour
    private let connection: Int
    private var stage = Stage.greeting
    private var buffer: [UInt8] = []

    init(behaviour: FakeSOCKS5Proxy.Behaviour, connection: Int) {
        self.behaviour = behaviour
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer += bytes.readBytes(length: bytes.readableBytes) ?? []
        while step(context: context) {}
    }

    /// Handles one complete message; false when more bytes are needed or the connection is done.
    private func step(context: ChannelHandlerContext) -> Bool {
        switch stage {
        case .greeting:
            guard buffer.count >= 2, buffer.count >= 2 + Int(buffer[1]) else { return false }
            buffer.removeFirst(2 + Int(buffer[1]))
            switch behaviour {
            case .dropAfterGreeting:
                context.close(promise: nil)
                return false
            case .refuseCredentials:
                send([5, 2], context: context)
                stage = .authentication
            case .dropConnect:
                send([5, 0], context: context)
                stage = .request
            }
            return true
        case .authentication:
            guard buffer.count >= 2 else { return false }
            let userLength = Int(buffer[1])
            guard buffer.count >= 3 + userLength, buffer.count >= 3 + userLength + Int(buffer[2 + userLength]) else {
                return false
            }
            buffer.removeFirst(3 + userLength + Int(buffer[2 + userLength]))
            guard case .refuseCredentials(let accepted) = behaviour, connection <= accepted else {
                send([1, 1], context: context)
                context.close(promise: nil)
                return false
            }
            send([1, 0], context: context)
            stage = .request
            return true
        case .request:
            guard buffer.count >= 5 else { return false }
            let addressLength: Int
            switch buffer[3] {
            case 1: addressLength = 4
            case 4: addressLength = 16
            default: addressLength = 1 + Int(buffer[4])
            }
            guard buffer.count >= 4 + addressLength + 2 else { return false }
            let port = UInt16(buffer[4 + addressLength]) << 8 | UInt16(buffer[5 + addressLength])
            buffer = []
            if case .dropConnect(let dropped) = behaviour, port == dropped {
                context.close(promise: nil)
                return false
            }
            send([5, 0, 0, 1, 127, 0, 0, 1, 0, 0] + Array(FakeSOCKS5Proxy.banner.utf8), context: context)
            stage = .tunnel
            return false
        case .tunnel:
            buffer = []
            return false
        }
    }

    private func send(_ bytes: [UInt8], context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
    }
}
