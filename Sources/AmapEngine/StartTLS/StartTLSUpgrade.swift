import AmapModel
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// `--starttls`: one more plain connection to a port identified as a protocol with an in-band upgrade, the upgrade
/// dialogue (`StartTLSDialogue`, which decides everything), the TLS handshake, and the certificate's facts.
///
/// This type only executes the dialogue's steps. It is bounded: one connection, at most ``maximumExchanges``
/// exchanges, each within `-t` and the port's deadline, and the handshake within the TLS timeout and the deadline.
struct StartTLSUpgrade: Sendable {
    /// The shared engine state.
    var context: EngineContext

    /// More exchanges than any dialogue needs (SMTP's greeting, EHLO and STARTTLS are three).
    static let maximumExchanges = 4

    /// Upgrades `endpoint` as `kind` and returns what the handshake revealed, or why there was none; never throws.
    func run(_ endpoint: Endpoint, kind: StartTLSProtocol, deadline: ContinuousClock.Instant?) async -> TLSDetails {
        if let deadline, deadline <= .now {
            return Self.error("not attempted: the port's time budget is spent")
        }
        let jobs = TCPProbeJobs(context: context, endpoint: endpoint)
        var session: TCPSession
        switch await jobs.open(tls: false) {
        case .success(let open): session = open
        case .failure(let failure): return Self.error("failed: connect: \(failure.note)")
        }
        let details = await upgrade(&session, endpoint: endpoint, kind: kind, deadline: deadline)
        await session.close()
        return details
    }

    private func upgrade(
        _ session: inout TCPSession,
        endpoint: Endpoint,
        kind: StartTLSProtocol,
        deadline: ContinuousClock.Instant?
    ) async -> TLSDetails {
        var dialogue = StartTLSDialogue(kind, serverName: endpoint.host)
        var step = dialogue.start()
        for _ in 0..<Self.maximumExchanges {
            switch step {
            case .exchange(let payload):
                guard let wait = remainingMilliseconds(context.configuration.responseTimeoutMilliseconds, deadline)
                else { return Self.error("failed: the port's time budget ran out during the upgrade") }
                let reader = dialogue
                let outcome = await session.exchange(BeginExchange(payload: payload, waitMilliseconds: wait)) {
                    reader.isComplete($0)
                }
                guard outcome.end == .satisfied else {
                    return Self.error("failed: \(Self.describe(outcome))")
                }
                step = dialogue.received(outcome.bytes)
            case .handshake(let after):
                return await handshake(session.channel, sending: after, endpoint: endpoint, deadline: deadline)
            case .refused(let reason):
                return Self.error("refused: \(reason)")
            case .failed(let reason):
                return Self.error("failed: \(reason)")
            }
        }
        return Self.error("failed: the dialogue did not end within \(Self.maximumExchanges) exchanges")
    }

    /// Sends `bytes` in the clear, then replaces the exchange handler with a TLS client and waits for the handshake.
    private func handshake(
        _ channel: any Channel,
        sending bytes: [UInt8],
        endpoint: Endpoint,
        deadline: ContinuousClock.Instant?
    ) async -> TLSDetails {
        guard let tlsContext = Self.sharedContext else {
            return Self.error("failed: no TLS client context could be created")
        }
        guard let timeout = remainingMilliseconds(context.configuration.tlsHandshakeTimeoutMilliseconds, deadline)
        else { return Self.error("failed: the port's time budget ran out before the TLS handshake") }
        let chainLength = NIOLockedValueBox<Int?>(nil)
        let serverName = Self.serverName(for: endpoint)
        let started = channel.eventLoop.submit { () -> EventLoopFuture<Void> in
            let sync = channel.pipeline.syncOperations
            if !bytes.isEmpty { channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil) }
            let exchange = try sync.context(handlerType: ProbeExchangeHandler.self)
            _ = sync.removeHandler(context: exchange)
            let promise = channel.eventLoop.makePromise(of: Void.self)
            // The callback sees the chain as sent; it accepts every certificate (a scanner reports, never trusts).
            let tls = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName) { chain, verdict in
                chainLength.withLockedValue { $0 = chain.count }
                verdict.succeed(.certificateVerified)
            }
            try sync.addHandler(ServerHelloSniffer())
            try sync.addHandler(tls)
            try sync.addHandler(TLSHandshakeWatcher(promise: promise, timeoutMilliseconds: timeout))
            return promise.futureResult
        }.flatMap { $0 }
        do {
            try await started.get()
        } catch {
            return Self.error("failed: \(error)")
        }
        let read = try? await channel.eventLoop.submit {
            let sync = channel.pipeline.syncOperations
            return (try sync.nioSSL_tlsVersion(), try sync.nioSSL_peerCertificate(),
                    try? sync.handler(type: ServerHelloSniffer.self).cipher)
        }.get()
        var details = TLSDetails(
            version: read?.0, certificate: read?.1, chainLength: chainLength.withLockedValue { $0 }, cipher: read?.2)
        details.startTLS = true
        return details
    }

    /// `budget` milliseconds, cut to what is left before `deadline`; nil when nothing is left.
    private func remainingMilliseconds(_ budget: Int, _ deadline: ContinuousClock.Instant?) -> Int? {
        guard let deadline else { return budget }
        let left = deadline - .now
        guard left > .zero else { return nil }
        let (seconds, attoseconds) = left.components
        return min(budget, max(1, Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000)))
    }

    private static func describe(_ outcome: TCPSession.Outcome) -> String {
        let got = outcome.bytes.isEmpty ? "" : " after \(TextReply.firstLine(outcome.bytes))"
        switch outcome.end {
        case .deadline: return "no complete answer within the wait\(got)"
        case .closed: return "the server closed the connection\(got)"
        case .capReached: return "the answer exceeded the byte cap"
        case .cancelled: return "cancelled"
        case .satisfied: return "answered"
        }
    }

    private static func error(_ text: String) -> TLSDetails {
        TLSDetails(startTLS: true, startTLSError: text)
    }

    /// SNI only for a real host name, as for TLS-wrapped ports.
    private static func serverName(for endpoint: Endpoint) -> String? {
        let host = endpoint.host
        guard host != endpoint.address, !host.contains(":"), host.contains(where: { $0.isLetter }) else { return nil }
        return host
    }

    /// The client context of every upgrade: as the TLS pass's (``ScanEngine/scannerTLSConfiguration()``), but with a
    /// verification callback, which NIOSSL calls only when verification is on, so that the chain's length is seen.
    /// No trust roots are loaded: the callback accepts every chain.
    static let sharedContext: NIOSSLContext? = {
        var configuration = ScanEngine.scannerTLSConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        return try? NIOSSLContext(configuration: configuration)
    }()
}
