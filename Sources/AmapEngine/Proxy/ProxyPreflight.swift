import AmapModel
import NIOCore
import NIOPosix

extension ScanEngine {
    /// Checks the configured proxy once, before a scan, so that a proxy that fails itself stops the scan before any
    /// port is reported: it must accept a connection and, for SOCKS5, the greeting and the credentials (no tunnel is
    /// asked for). An HTTP proxy is asked for a tunnel to `endpoint` (a port of the scan) when one is given, since
    /// only a CONNECT shows whether it takes the credentials; its answer about that port does not matter here.
    ///
    /// Does nothing without a proxy. On success, forgets an earlier ``proxyFailure``.
    ///
    /// - Throws: ``ProxyError`` when the proxy cannot be reached (after the configured connect attempts), refuses
    ///   the credentials or wants some, or does not speak its protocol.
    public func checkProxy(reaching endpoint: Endpoint? = nil) async throws(ProxyError) {
        guard let proxy = configuration.proxy else { return }
        let handshake: (any ProxyHandshake)?
        switch proxy.kind {
        case .socks5, .socks5h:
            handshake = SOCKS5Handshake(destination: nil, port: 0, credentials: proxy.credentials)
        case .http:
            handshake = endpoint.map {
                HTTPConnectHandshake(destination: ProxyDestination(address: $0.address), port: $0.port,
                                     credentials: proxy.credentials)
            }
        }
        let route = ConnectRoute(address: proxy.socketAddress, proxy: proxy, handshake: handshake)
        var lastError = ProxyError(proxy: proxy.description, reason: .unreachable(ProxyError.connectTimeoutText))
        for _ in 0..<configuration.connectAttempts {
            guard let error = await checkOnce(route, proxy: proxy) else {
                proxyFaults.clear()
                return
            }
            lastError = error
            guard error.isTransient else { break }
        }
        throw lastError
    }

    /// One try; nil when the proxy passed.
    private func checkOnce(_ route: ConnectRoute, proxy: ProxyConfiguration) async -> ProxyError? {
        let timeout = TimeAmount.milliseconds(Int64(configuration.connectTimeoutMilliseconds))
        let loop = group.next()
        let outcome = loop.makePromise(of: ProxyHandshakeHandler.Outcome.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ImmediateCloseHandler())
                    if let handshake = route.handshake {
                        try channel.pipeline.syncOperations.addHandler(
                            ProxyHandshakeHandler(machine: handshake, timeout: timeout, outcome: outcome))
                    }
                }.flatMap { TCPConnector.resetOnClose(channel) }
            }
        let channel: any Channel
        do {
            channel = try await route.connect(bootstrap).get()
        } catch {
            outcome.fail(ChannelError.connectPending)
            if case .proxyFailed(let failure) = route.classify(error) { return failure }
            return ProxyError(proxy: proxy.description, reason: .unreachable("\(error)"))
        }
        defer { channel.close(promise: nil) }
        guard route.handshake != nil else { return nil }
        do {
            _ = try await outcome.futureResult.get()
            return nil
        } catch let failure as ProxyHandshakeHandler.Failure {
            switch failure {
            case .proxy(let reason):
                return ProxyError(proxy: proxy.description, reason: reason)
            case .closedAwaitingTarget(let step):
                return ProxyError(proxy: proxy.description, reason: .closed("\(step) without an answer"))
            case .refused, .targetTimedOut:
                // The proxy answered as a proxy (or is still trying the port): it works; the port is the scan's.
                return nil
            }
        } catch {
            return ProxyError(proxy: proxy.description, reason: .closed("(\(error))"))
        }
    }
}
