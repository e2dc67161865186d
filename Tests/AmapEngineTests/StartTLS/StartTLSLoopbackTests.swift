import AmapModel
import AmapTestSupport
import NIOCore
import NIOPosix
import NIOSSL
import Testing

@testable import AmapEngine

/// `--starttls` in the engine against in-process POP3-like servers on 127.0.0.1: an upgrade that works, and the ways
/// one fails (a refusal, a close after yes, silence after yes), each reported on the port, never lost.
@Suite struct StartTLSLoopbackTests {
    /// What the server does when asked for STLS.
    enum Behaviour: Sendable {
        case upgrade(NIOSSLContext)
        case refuse
        case closeAfterYes
        case silentAfterYes
    }

    /// Greets, and answers `STLS` as `behaviour` says.
    final class POP3Server: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let behaviour: Behaviour
        var received = ""

        init(_ behaviour: Behaviour) { self.behaviour = behaviour }

        func channelActive(context: ChannelHandlerContext) {
            write(context, "+OK test POP3 ready\r\n")
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += String(buffer: unwrapInboundIn(data))
            guard received.hasSuffix("\r\n") else { return }
            defer { received = "" }
            guard received == "STLS\r\n" else {
                write(context, "-ERR unknown\r\n")
                return
            }
            switch behaviour {
            case .upgrade(let tls):
                write(context, "+OK begin TLS\r\n")
                try? context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
            case .refuse:
                write(context, "-ERR TLS is off today\r\n")
            case .closeAfterYes:
                write(context, "+OK begin TLS\r\n")
                context.close(promise: nil)
            case .silentAfterYes:
                write(context, "+OK begin TLS\r\n")
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }

        private func write(_ context: ChannelHandlerContext, _ text: String) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
        }
    }

    private static var configuration: ScanConfiguration {
        var configuration = ScanConfiguration(
            connectTimeoutMilliseconds: 2_000, connectAttempts: 1, responseTimeoutMilliseconds: 2_000,
            bannerWaitMilliseconds: 2_000, tlsHandshakeTimeoutMilliseconds: 1_000, timing: .fixed)
        configuration.startTLS = true
        return configuration
    }

    /// Scans one server behaving as `behaviour` and returns its result.
    private func scan(_ behaviour: Behaviour, configuration: ScanConfiguration = configuration) async throws
        -> PortResult
    {
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) {
            try $0.pipeline.syncOperations.addHandler(POP3Server(behaviour))
        }
        defer { server.close(promise: nil) }
        let engine = ScanEngine(
            configuration: configuration, planner: FixedPlanner(tcp: [TestProbes.null]),
            matcher: try PatternMatcher([("^\\+OK test POP3", "pop3")]))
        var results: [PortResult] = []
        let endpoint = Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: .tcp)
        for await event in engine.scan([endpoint]) {
            if case .finished(let result) = event { results.append(result) }
        }
        return try #require(results.first)
    }

    @Test func anUpgradeGivesTheCertificatesFacts() async throws {
        let (certificate, key) = try TestCertificate.make()
        let context = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        let result = try await scan(.upgrade(context))
        #expect(result.primary?.service == "pop3")
        let tls = try #require(result.tls)
        #expect(tls.isStartTLS && tls.startTLSError == nil, "\(tls)")
        #expect(tls.subject == "CN=amap-test,O=swift-amap")
        #expect(tls.chainLength == 1)
        #expect(tls.sha256Fingerprint == SHA256.fingerprint(try certificate.toDERBytes()))
        #expect(tls.protocolVersion?.hasPrefix("TLSv1.") == true)
        // Both ends are BoringSSL with its defaults: TLS 1.3 and one of its three suites, named as IANA does.
        #expect(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
            .contains(tls.cipher ?? "nil"), "\(tls)")
    }

    @Test func aRefusalIsReportedAsRefused() async throws {
        let result = try await scan(.refuse)
        #expect(result.state == .open && result.primary?.service == "pop3")
        #expect(result.tls?.isStartTLS == true)
        #expect(result.tls?.startTLSError == "refused: STLS: -ERR TLS is off today")
    }

    @Test func aCloseAfterYesIsAFailedHandshake() async throws {
        let result = try await scan(.closeAfterYes)
        #expect(result.state == .open && result.primary?.service == "pop3")
        #expect(result.tls?.startTLSError?.hasPrefix("failed: ") == true, "\(String(describing: result.tls))")
    }

    @Test func silenceAfterYesEndsWithinTheHandshakeTimeout() async throws {
        let result = try await scan(.silentAfterYes)
        #expect(result.primary?.service == "pop3")
        #expect(result.tls?.startTLSError == "failed: no TLS handshake within the timeout",
                "\(String(describing: result.tls))")
    }

    @Test func withoutTheFlagNothingIsTried() async throws {
        var plain = Self.configuration
        plain.startTLS = false
        let result = try await scan(.refuse, configuration: plain)
        #expect(result.primary?.service == "pop3" && result.tls == nil)
    }

    @Test func aSpentPortBudgetIsNotExceeded() async throws {
        var tight = Self.configuration
        tight.portBudgetMilliseconds = 1
        let result = try await scan(.refuse, configuration: tight)
        #expect(result.primary?.service == "pop3")
        // Spent before the upgrade began, or during it (a fast probe pass can end inside the millisecond): either
        // way no step goes past the budget and no upgrade is reported.
        let error = result.tls?.startTLSError ?? "nil"
        #expect(error == "not attempted: the port's time budget is spent"
                || error.hasPrefix("failed: the port's time budget ran out"), "\(error)")
    }
}
