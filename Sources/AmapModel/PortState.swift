/// What the connection attempts said about a port (nmap's vocabulary).
public enum PortState: String, Sendable, Hashable, Codable {
    /// It accepted a connection, or a UDP probe drew an answer.
    case open
    /// It refused (TCP RST, ICMP port unreachable).
    case closed
    /// No answer at all to the connection attempt.
    case filtered
    /// UDP without answer or refusal.
    case openFiltered = "open|filtered"
    /// Not known: the scan could not be carried out for a reason of this machine (nmap's `unknown`, as its
    /// `PORT_UNKNOWN`). Running out of file descriptors ends here, never in `filtered`.
    case unknown
}
