import AmapModel
import NIOCore
import NIOPosix

/// Where a probe connection's socket goes: straight to the endpoint, or to the proxy with the handshake that asks it
/// for a tunnel to the endpoint.
struct ConnectRoute: Sendable {
    /// The endpoint's own address (direct), or the proxy's when it is numeric; nil: the proxy's name is resolved
    /// at connect time.
    var address: SocketAddress?
    /// The proxy, or nil for a direct connection.
    var proxy: ProxyConfiguration?
    /// The handshake that opens the tunnel (nil for a direct connection); a fresh copy runs on every attempt.
    var handshake: (any ProxyHandshake)?

    /// The route to `endpoint`, through `proxy` when one is given.
    static func make(for endpoint: Endpoint, proxy: ProxyConfiguration?)
        -> Result<ConnectRoute, ConnectAttemptFailure>
    {
        guard let proxy else {
            do {
                let address = try SocketAddress(ipAddress: endpoint.address, port: Int(endpoint.port))
                return .success(ConnectRoute(address: address))
            } catch {
                return .failure(.invalidAddress(String(describing: error)))
            }
        }
        let destination = ProxyDestination(address: endpoint.address)
        if case .name = destination, !proxy.resolvesNamesAtProxy {
            return .failure(.invalidAddress(
                "'\(endpoint.address)' is not an address, and a socks5:// proxy is given addresses "
                    + "(socks5h:// has the proxy resolve names)"))
        }
        let handshake: any ProxyHandshake
        switch proxy.kind {
        case .socks5, .socks5h:
            guard SOCKS5Handshake.canCarry(destination) else {
                return .failure(.invalidAddress("a host name for SOCKS5 has 1 to 255 bytes (RFC 1928 §5)"))
            }
            handshake = SOCKS5Handshake(destination: destination, port: endpoint.port, credentials: proxy.credentials)
        case .http:
            handshake = HTTPConnectHandshake(destination: destination, port: endpoint.port,
                                             credentials: proxy.credentials)
        }
        return .success(ConnectRoute(address: proxy.socketAddress, proxy: proxy, handshake: handshake))
    }

    /// Connects `bootstrap` along the route.
    func connect(_ bootstrap: ClientBootstrap) -> EventLoopFuture<any Channel> {
        if let address { return bootstrap.connect(to: address) }
        // A proxy named by host name: NIO resolves it (off the event loop) and tries its addresses.
        let proxy = proxy ?? ProxyConfiguration(kind: .socks5, host: "", port: 0)
        return bootstrap.connect(host: proxy.host, port: Int(proxy.port))
    }

    /// What a failed connect means: the port's state directly, or, through a proxy, the proxy failing (a local
    /// resource shortage stays what it is: it is not the proxy's fault either).
    func classify(_ error: any Error) -> ConnectAttemptFailure {
        let failure = ConnectAttemptFailure.classify(Self.underlying(error))
        guard let proxy else { return failure }
        switch failure {
        case .localResourceExhausted:
            return failure
        case .timedOut:
            let reason = ProxyError.Reason.unreachable(ProxyError.connectTimeoutText)
            return .proxyFailed(ProxyError(proxy: proxy.description, reason: reason))
        default:
            return .proxyFailed(ProxyError(proxy: proxy.description, reason: .unreachable(failure.note)))
        }
    }

    /// The first per-address error inside NIO's error for a connect by host name.
    private static func underlying(_ error: any Error) -> any Error {
        guard let connection = error as? NIOConnectionError else { return error }
        if let first = connection.connectionErrors.first { return first.error }
        if let dns = connection.dnsAError ?? connection.dnsAAAAError { return dns }
        return error
    }

    /// What a failed proxy handshake means for the attempt.
    static func failure(_ error: any Error, proxy: ProxyConfiguration) -> ConnectAttemptFailure {
        guard let failure = error as? ProxyHandshakeHandler.Failure else {
            return .proxyFailed(ProxyError(proxy: proxy.description, reason: .closed("(\(error))")))
        }
        switch failure {
        case .refused(let refusal): return .proxyRefused(refusal)
        case .proxy(let reason): return .proxyFailed(ProxyError(proxy: proxy.description, reason: reason))
        case .targetTimedOut: return .timedOut
        case .closedAwaitingTarget(let step):
            return .other("proxy: it closed the connection \(step) without a reply")
        }
    }
}

extension ProxyConfiguration {
    /// The proxy's socket address when its host is numeric; nil for a name.
    var socketAddress: SocketAddress? {
        try? SocketAddress(ipAddress: host, port: Int(port))
    }
}

extension ProxyError {
    /// The text of a connect to the proxy that timed out.
    static let connectTimeoutText = "connect timeout"

    /// True for a failure worth another attempt: the proxy did not answer in time (it may be busy).
    var isTransient: Bool {
        switch reason {
        case .silent: true
        case .unreachable(let text): text == Self.connectTimeoutText
        default: false
        }
    }
}

extension TCPConnector {
    /// Records the proxy's failure with the engine (which stops the scan) and warns once.
    func reportProxyFailure(_ error: ProxyError) {
        if context.proxyFaults?.report(error) == true {
            context.emit(.warning(nil, ScanWarning(.proxyFailed, "\(error); the scan stops")))
        }
    }
}
