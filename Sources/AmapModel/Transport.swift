/// The transport a probe is sent over or a port is scanned on.
public enum Transport: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// A TCP stream.
    case tcp
    /// UDP datagrams.
    case udp

    /// `tcp` or `udp`, as amap and nmap print it.
    public var description: String { rawValue }
}
