import AmapModel

/// Settings that fill in what an imported file leaves out.
public struct ImportOptions: Sendable, Hashable {
    /// Ports for entries that name a host but no port (bare host lists, zmap `saddr`-only
    /// output). Without them such an entry is an error.
    public var defaultPorts: PortList?
    /// The transport of ports whose protocol the file does not state (host lists without
    /// `/udp`, zmap rows).
    public var defaultTransport: Transport
    /// The most endpoints a file may expand to, or nil for no limit. A four-kilobyte list of `HOST:1-` lines is
    /// millions of endpoints (and gigabytes): beyond the limit the import stops with
    /// ``ImportError/tooManyEndpoints(format:line:limit:)``, before the line that would cross it is expanded.
    public var endpointLimit: Int?

    /// The default ``endpointLimit``: 2^20 endpoints (about 50 MB of them), more than a scan of a /16 with a dozen
    /// open ports per host; the command line lifts it with `--allow-huge-scan`.
    public static let defaultEndpointLimit = 1 << 20

    /// Creates options.
    public init(
        defaultPorts: PortList? = nil,
        defaultTransport: Transport = .tcp,
        endpointLimit: Int? = ImportOptions.defaultEndpointLimit
    ) {
        self.defaultPorts = defaultPorts
        self.defaultTransport = defaultTransport
        self.endpointLimit = endpointLimit
    }
}
