import AmapModel

/// The proxy itself failed: it cannot be reached, refused the credentials, or does not speak its protocol. No port's
/// state can be known through it, so a scan that meets this stops (the `amap` command exits 255) instead of reporting
/// ports it never reached.
public struct ProxyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The TCP connection to the proxy failed (refused, timed out, no route, name not found).
        case unreachable(String)
        /// The proxy wants credentials and the URL gave none (SOCKS5 method 0x02 or none acceptable, HTTP 407).
        case authenticationRequired
        /// The proxy rejected the credentials (RFC 1929 status, HTTP 407 after Proxy-Authorization).
        case authenticationFailed
        /// The proxy accepts none of the offered SOCKS5 methods (RFC 1928 §3, X'FF').
        case noAcceptableMethod
        /// The proxy cannot tunnel at all (SOCKS5 "command not supported", HTTP 405/501 to CONNECT).
        case unsupported(String)
        /// The proxy's answer breaks its protocol: it is not a SOCKS5 or HTTP proxy.
        case protocolViolation(String)
        /// The proxy closed or reset the connection before the tunnel was asked for (greeting, authentication).
        case closed(String)
        /// The proxy accepted the connection but did not answer within the connect timeout.
        case silent(String)
    }

    /// The proxy, as ``ProxyConfiguration/description`` shows it (no password).
    public var proxy: String
    /// What went wrong.
    public var reason: Reason

    /// Creates an error.
    public init(proxy: String, reason: Reason) {
        self.proxy = proxy
        self.reason = reason
    }

    /// `proxy socks5://127.0.0.1:1080 failed: authentication failed (the proxy rejected the user name and password)`.
    public var description: String {
        "proxy \(proxy) failed: \(reasonText)"
    }

    private var reasonText: String {
        switch reason {
        case .unreachable(let text): "cannot connect to it: \(text)"
        case .authenticationRequired: "it requires a user name and password: give them as user:password@ in the URL"
        case .authenticationFailed: "authentication failed (the proxy rejected the user name and password)"
        case .noAcceptableMethod: "it accepts none of the offered authentication methods (no authentication, "
            + "user name and password)"
        case .unsupported(let text): "it cannot tunnel TCP connections: \(text)"
        case .protocolViolation(let text): "not a working proxy of this kind: \(text)"
        case .closed(let text): "it closed the connection \(text)"
        case .silent(let text): "no answer \(text) within the connect timeout"
        }
    }
}

/// The proxy's answer about one target: it could not connect there, and says why. The port gets `state` (`closed`
/// for a refused connection, `filtered` for the rest), and `note` says which reply decided it.
struct ProxyRefusal: Sendable, Hashable {
    /// The port's state.
    var state: PortState
    /// `proxy: connection refused (SOCKS5 reply 0x05)`.
    var note: String
}
