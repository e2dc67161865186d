/// A scan through a proxy was given UDP ports: a SOCKS5 CONNECT or HTTP CONNECT tunnel carries TCP only, and a UDP
/// probe sent directly would not leave from the proxy.
public struct ProxyTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Creates the error.
    public init() {}

    /// `UDP cannot go through a proxy …`.
    public var description: String {
        "UDP cannot go through a proxy (it tunnels TCP only), and the scan has UDP ports"
    }
}
