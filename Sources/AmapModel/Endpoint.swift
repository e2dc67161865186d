/// One thing to identify: a host's port on a transport.
public struct Endpoint: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The host as the user named it (`localhost`, `127.0.0.1`, `::1`).
    public var host: String
    /// The numeric address connected to (`127.0.0.1`, `::1`); equal to `host` for literals.
    public var address: String
    /// The port number.
    public var port: UInt16
    /// TCP or UDP.
    public var transport: Transport

    /// Creates an endpoint.
    public init(host: String, address: String? = nil, port: UInt16, transport: Transport) {
        self.host = host
        self.address = address ?? host
        self.port = port
        self.transport = transport
    }

    /// True when the address is IPv6.
    public var isIPv6: Bool { address.contains(":") }

    /// `127.0.0.1:22/tcp`, `[::1]:22/tcp`.
    public var description: String {
        "\(isIPv6 ? "[\(address)]" : address):\(port)/\(transport)"
    }
}
