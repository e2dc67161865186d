/// A proxy that every TCP connection of a scan goes through (`--proxy URL`): SOCKS5 or an HTTP proxy that allows
/// CONNECT.
///
/// Parsed from `socks5://[user:pass@]host[:port]`, `socks5h://…` or `http://[user:pass@]host:port`. The password is
/// never shown: ``description`` prints it as `***`.
public struct ProxyConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// The proxy protocol.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// SOCKS5 (RFC 1928); host names of targets are resolved here, the proxy gets addresses.
        case socks5
        /// SOCKS5 with host names resolved by the proxy (the DOMAINNAME address type of RFC 1928 §5).
        case socks5h
        /// An HTTP proxy tunnelling with CONNECT (RFC 9110 §9.3.6); host names are resolved by the proxy.
        case http
    }

    /// The proxy protocol.
    public var kind: Kind
    /// The proxy's host: a name, an IPv4 address or an IPv6 address (without brackets).
    public var host: String
    /// The proxy's port.
    public var port: UInt16
    /// The user name and password, if the proxy wants them (RFC 1929 for SOCKS5, Basic for HTTP).
    public var credentials: ProxyCredentials?

    /// Creates a proxy configuration from its parts.
    public init(kind: Kind, host: String, port: UInt16, credentials: ProxyCredentials? = nil) {
        self.kind = kind
        self.host = host
        self.port = port
        self.credentials = credentials
    }

    /// SOCKS5's well-known port, taken when a `socks5://` URL gives none (RFC 1928 §3).
    public static let defaultSOCKSPort: UInt16 = 1080

    /// True when target host names are sent to the proxy as names (socks5h, HTTP CONNECT) rather than resolved here.
    public var resolvesNamesAtProxy: Bool { kind != .socks5 }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let user = credentials.map { "\(ProxyURL.percentEncoded($0.username)):***@" } ?? ""
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(kind.rawValue)://\(user)\(shownHost):\(port)"
    }

    /// `url` with its password (if any) replaced by `***`, for anything that shows or records a URL as given.
    public static func redacted(url: String) -> String {
        ProxyURL.redacted(url)
    }

    /// Parses a proxy URL.
    ///
    /// - Throws: ``ProxyURLError`` naming what is wrong: an unknown scheme, a missing host or port, a user without
    ///   a password, a path, a user name or password longer than SOCKS5 allows (255 bytes, RFC 1929 §2).
    public init(url text: String) throws(ProxyURLError) {
        self = try ProxyURL.parse(text)
    }
}

/// A user name and password for a proxy.
public struct ProxyCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The user name.
    public var username: String
    /// The password.
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `user:***`: the password is never printed.
    public var description: String { "\(username):***" }
}

/// Why a proxy URL cannot be used.
public struct ProxyURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL as given, with any password replaced by `***`.
    public var url: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }

    /// `invalid proxy URL 'socks5://host': reason`.
    public var description: String { "invalid proxy URL '\(url)': \(reason)" }
}
