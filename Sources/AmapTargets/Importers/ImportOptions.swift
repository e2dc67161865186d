import AmapSignatures

/// Settings that fill in what an imported file leaves out.
public struct ImportOptions: Sendable, Hashable {
    /// Ports for entries that name a host but no port (bare host lists, zmap `saddr`-only
    /// output). Without them such an entry is an error.
    public var defaultPorts: PortList?
    /// The transport of ports whose protocol the file does not state (host lists without
    /// `/udp`, zmap rows).
    public var defaultTransport: Transport

    /// Creates options.
    public init(defaultPorts: PortList? = nil, defaultTransport: Transport = .tcp) {
        self.defaultPorts = defaultPorts
        self.defaultTransport = defaultTransport
    }
}
