import NIOCore

/// Reads the cipher suite from the server's ServerHello as the raw bytes pass by, on their way to the TLS handler
/// placed after it; it passes every byte on unchanged and stops looking once it has the suite or cannot find it.
final class ServerHelloSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The suite's IANA name, once read.
    private(set) var cipher: String?
    private var seen: [UInt8] = []
    private var looking = true

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if looking {
            let buffer = unwrapInboundIn(data)
            let take = min(buffer.readableBytes, ServerHelloCipher.searchLimit - seen.count)
            seen += buffer.getBytes(at: buffer.readerIndex, length: take) ?? []
            if let suite = ServerHelloCipher.suite(in: seen) {
                cipher = ServerHelloCipher.name(of: suite)
                stopLooking()
            } else if ServerHelloCipher.hopeless(seen) {
                stopLooking()
            }
        }
        context.fireChannelRead(data)
    }

    private func stopLooking() {
        looking = false
        seen = []
    }
}
