/// How probing an endpoint ended, in zgrab2's words where they fit; it sits beside nmap's `PortState`, which says
/// what the port is, while this says what happened to the scan of it.
///
/// Every output derives its words from this one value: JSON Lines' `status`, the XML `reason` of states nmap has
/// no reason for, amap's `-m` status column and the human report's warnings.
public enum ScanStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Connected (or a UDP probe drew an answer) and probing ran to its end.
    case success
    /// The port refused: TCP RST, ICMP port unreachable.
    case connectionRefused = "connection-refused"
    /// No answer to the connection attempt within the connect timeout.
    case connectionTimeout = "connection-timeout"
    /// Connected, but nothing was read within the waits (a silent TCP port, a UDP port without answer, a TLS
    /// handshake that never finished).
    case ioTimeout = "io-timeout"
    /// The peer answered in a way the protocol does not allow: a TLS handshake refused by an alert, a handshake
    /// failure.
    case protocolError = "protocol-error"
    /// A limit of this machine (open files, ephemeral ports, buffers) stopped the scan; it says nothing about the
    /// port.
    case localResourceError = "local-resource-error"
    /// Anything else: an unreachable network, an unusable address, an error without a better name.
    case unknownError = "unknown-error"

    /// The status a result has when nothing more specific is known about how it ended.
    public init(defaultFor state: PortState) {
        switch state {
        case .open: self = .success
        case .closed: self = .connectionRefused
        case .filtered: self = .connectionTimeout
        case .openFiltered: self = .ioTimeout
        case .unknown: self = .localResourceError
        }
    }
}
