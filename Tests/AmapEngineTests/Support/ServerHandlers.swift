import Foundation
import NIOCore
import NIOPosix
import NIOSSL

// Small server behaviours for the engine's loopback tests.

/// Writes `bytes` as soon as the connection is up (a banner-first service); optionally closes right after.
final class WriteOnActive: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let bytes: [UInt8]
    let closeAfterwards: Bool

    init(_ text: String, closeAfterwards: Bool = false) {
        bytes = Array(text.utf8)
        self.closeAfterwards = closeAfterwards
    }

    func channelActive(context: ChannelHandlerContext) {
        if !bytes.isEmpty { context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil) }
        if closeAfterwards { context.close(promise: nil) }
        context.fireChannelActive()
    }
}

/// Answers `reply` once the client has sent `request` (a client-first service).
final class ReplyOnRequest: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let request: String
    let reply: String
    private var received = ""

    init(request: String, reply: String) {
        self.request = request
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += String(buffer: unwrapInboundIn(data))
        if received.contains(request) {
            received = ""
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply)), promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Counts connections (total and most at once); lives on a single-threaded server loop.
final class ConnectionGauge {
    var current = 0
    var most = 0
    var total = 0
}

/// Feeds a `ConnectionGauge` from one connection.
final class GaugeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let gauge: NIOLoopBoundBox<ConnectionGauge>

    init(_ gauge: NIOLoopBoundBox<ConnectionGauge>) {
        self.gauge = gauge
    }

    func channelActive(context: ChannelHandlerContext) {
        gauge.value.current += 1
        gauge.value.total += 1
        gauge.value.most = max(gauge.value.most, gauge.value.current)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        gauge.value.current -= 1
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A self-signed certificate made at test time with the `openssl` command.
enum TestCertificate {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates a key and a certificate for `CN=amap-test,O=swift-amap` in a temporary directory.
    static func make() throws -> (certificate: NIOSSLCertificate, key: NIOSSLPrivateKey) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("amap-engine-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key.pem").path
        let certificatePath = directory.appendingPathComponent("cert.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", "2", "-subj", "/CN=amap-test/O=swift-amap",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl req exited with \(process.terminationStatus)")
        }
        return (try NIOSSLCertificate(file: certificatePath, format: .pem),
                try NIOSSLPrivateKey(file: keyPath, format: .pem))
    }
}
