import AmapModel
import AmapSignatures
import NIOCore
import NIOPosix
import NIOSSL

/// Opens TCP and TLS connections for probing: connect timeout, attempts, SO_LINGER 0, the handler pipeline, and
/// the handshake with its timeout.
struct TCPConnector: Sendable {
    /// The shared engine state.
    var context: EngineContext

    /// The first pause after a local resource error (EMFILE, …); it doubles up to `maximumResourceBackoff`.
    static let initialResourceBackoff: Duration = .milliseconds(50)
    /// The longest pause between two tries after local resource errors.
    static let maximumResourceBackoff: Duration = .seconds(1)
    /// How many times a connection is requeued for local resource errors before the port is given up
    /// (about a minute of waiting at the maximum backoff).
    static let maximumResourceRequeues = 64

    /// Connects to `endpoint` (through the configured proxy, if any), trying up to the configured number of attempts
    /// on timeouts; with `tls`, also completes a TLS handshake. Returns the session or the failure that decides the
    /// port's state. A failure of the proxy itself is also reported to the engine, which stops the scan.
    func connect(_ endpoint: Endpoint, tls: Bool) async -> Result<TCPSession, ConnectAttemptFailure> {
        let result = await attempts(endpoint, tls: tls)
        if case .failure(.proxyFailed(let error)) = result { reportProxyFailure(error) }
        return result
    }

    private func attempts(_ endpoint: Endpoint, tls: Bool) async -> Result<TCPSession, ConnectAttemptFailure> {
        let configuration = context.configuration
        let route: ConnectRoute
        switch ConnectRoute.make(for: endpoint, proxy: configuration.proxy) {
        case .success(let made): route = made
        case .failure(let failure): return .failure(failure)
        }
        var attempts = 0
        var requeues = 0
        var backoff = Self.initialResourceBackoff
        var lastFailure = ConnectAttemptFailure.timedOut
        while attempts < configuration.connectAttempts {
            if Task.isCancelled { return .failure(.other("cancelled")) }
            let result = await connectOnce(endpoint, route: route, tls: tls)
            switch result {
            case .success(let session):
                return .success(session)
            case .failure(.timedOut):
                attempts += 1
                lastFailure = .timedOut
            case .failure(.proxyFailed(let error)) where error.isTransient:
                // The proxy did not answer in time: tried again like a silent port, a failure after the last try.
                attempts += 1
                lastFailure = .proxyFailed(error)
            case .failure(.localResourceExhausted(let text)):
                // Not the port's fault: wait for other connections to end, and do not count the attempt.
                requeues += 1
                if requeues == 1 {
                    context.emit(.warning(endpoint, ScanWarning(.localResourcesRetrying,
                                                                "local resources exhausted, retrying: \(text)")))
                }
                if requeues > Self.maximumResourceRequeues {
                    return .failure(.localResourceExhausted(text))
                }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, Self.maximumResourceBackoff)
            case .failure(let failure):
                return .failure(failure)
            }
        }
        return .failure(lastFailure)
    }

    private func connectOnce(
        _ endpoint: Endpoint,
        route: ConnectRoute,
        tls: Bool
    ) async -> Result<TCPSession, ConnectAttemptFailure> {
        let configuration = context.configuration
        let (events, sink) = ExchangeEventSink.stream()
        let tlsContext = context.tlsContext
        if tls && tlsContext == nil {
            sink.finish()
            return .failure(.tlsFailed(.noContext))
        }
        let serverName = tls ? serverName(for: endpoint) : nil
        let start: ProbeExchangeHandler.Start =
            tls ? .afterTLSHandshake(timeoutMilliseconds: configuration.tlsHandshakeTimeoutMilliseconds) : .onActive
        let byteCap = configuration.responseByteCap
        let connectTimeout = TimeAmount.milliseconds(Int64(configuration.connectTimeoutMilliseconds))
        let loop = context.group.next()
        // Through a proxy, the handshake handler goes first and holds the connection back from the TLS and probe
        // handlers until the tunnel is up.
        let tunnel = route.proxy == nil ? nil : loop.makePromise(of: ProxyHandshakeHandler.Outcome.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ImmediateCloseHandler())
                    if let tunnel, let handshake = route.handshake {
                        try sync.addHandler(
                            ProxyHandshakeHandler(machine: handshake, timeout: connectTimeout, outcome: tunnel))
                    }
                    if tls, let chainContext = context.chainTLSContext {
                        try sync.addHandler(ServerHelloSniffer())
                        try sync.addHandler(NIOSSLClientHandler(
                            context: chainContext, serverHostname: serverName,
                            customVerificationCallbackWithMetadata: Self.acceptKeepingChain))
                    } else if tls, let tlsContext {
                        try sync.addHandler(ServerHelloSniffer())
                        try sync.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    try sync.addHandler(ProbeExchangeHandler(first: nil, start: start, byteCap: byteCap, sink: sink))
                }.flatMap {
                    Self.resetOnClose(channel)
                }
            }
        let limiter = context.connectionLimiter
        await limiter?.acquire()
        let channel: any Channel
        do {
            channel = try await route.connect(bootstrap).get()
        } catch {
            await limiter?.release()
            tunnel?.fail(ChannelError.connectPending)
            sink.finish()
            return .failure(route.classify(error))
        }
        // The permit is the socket's: given back once it is closed, whoever closes it (a failed tunnel included).
        if let limiter { channel.closeFuture.whenComplete { _ in Task { await limiter.release() } } }
        var tunnelRoundTrip: Duration?
        if let tunnel, let proxy = route.proxy {
            do {
                if case .tunnel(let roundTrip) = try await tunnel.futureResult.get() { tunnelRoundTrip = roundTrip }
            } catch {
                channel.close(promise: nil)
                try? await channel.closeFuture.get()
                sink.finish()
                return .failure(ConnectRoute.failure(error, proxy: proxy))
            }
        }
        var session = TCPSession(
            channel: channel, events: events, sink: sink, byteCap: byteCap, isTLS: tls, firstBegun: false,
            gauge: context.responseMemory)
        session.tunnelRoundTrip = tunnelRoundTrip
        if tls, let failure = await session.awaitHandshake() {
            await session.close()
            return .failure(failure)
        }
        return .success(session)
    }

    /// SNI only for a real host name: NIOSSL refuses IP literals, and a scanner never verifies the name anyway.
    private func serverName(for endpoint: Endpoint) -> String? {
        let host = endpoint.host
        guard host != endpoint.address, !host.contains(":"), host.contains(where: { $0.isLetter }) else { return nil }
        return host
    }

    /// Sets SO_LINGER to {on, 0 s}: closing sends a reset and leaves no TIME_WAIT behind, so thousands of short
    /// probe connections do not pile up in the kernel.
    static func resetOnClose(_ channel: any Channel) -> EventLoopFuture<Void> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededVoidFuture()
        }
        return provider.setSoLinger(linger(l_onoff: 1, l_linger: 0))
    }

    /// Accepts whatever the server presented (a scanner verifies nothing) and keeps the presented chain as the
    /// "validated" one, for `TLSDetails.chainLength`.
    static func acceptKeepingChain(
        _ certificates: [NIOSSLCertificate], _ promise: EventLoopPromise<NIOSSLVerificationResultWithMetadata>
    ) {
        promise.succeed(.certificateVerified(VerificationMetadata(ValidatedCertificateChain(certificates))))
    }
}
