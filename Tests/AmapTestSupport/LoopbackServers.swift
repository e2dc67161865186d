import NIOCore
import NIOPosix

/// Small in-process SwiftNIO servers on 127.0.0.1 ephemeral ports; each test adds the handlers that give a server
/// its behaviour. Closing the server channel closes its children.
public enum LoopbackServers {
    /// Starts a TCP server whose child channels get the handlers `configure` adds (`autoRead: false` for a peer
    /// that never reads).
    public static func tcp(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        autoRead: Bool = true,
        configure: @escaping @Sendable (any Channel) throws -> Void = { _ in }
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: autoRead)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try configure(channel) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Starts a UDP server whose channel gets `handler`.
    public static func udp(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        handler: @escaping @Sendable () -> any ChannelHandler
    ) async throws -> any Channel {
        try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Starts a UDP server that answers every datagram with `prefix` followed by the datagram.
    public static func udpEcho(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, prefix: String
    ) async throws -> any Channel {
        try await udp(group: group) { UDPEcho(prefix: prefix) }
    }

    /// A port on which nothing listens: bound, then closed.
    public static func closedPort(
        udp: Bool, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> UInt16 {
        let channel: any Channel = udp
            ? try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
            : try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = UInt16(channel.localAddress?.port ?? 0)
        try await channel.close()
        return port
    }

    /// The port a server channel is bound to.
    public static func port(of channel: any Channel) -> UInt16 {
        UInt16(channel.localAddress?.port ?? 0)
    }
}

/// Answers datagrams.
final class UDPEcho: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let prefix: String

    init(prefix: String) {
        self.prefix = prefix
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        var reply = ByteBuffer(string: prefix)
        var payload = envelope.data
        reply.writeBuffer(&payload)
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)),
                              promise: nil)
    }
}
