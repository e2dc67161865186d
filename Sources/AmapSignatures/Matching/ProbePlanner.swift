import AmapModel

/// Decides which probes go to a port, and in what order. Pure, so the order is testable without a network.
public protocol ProbePlanner: Sendable {
    /// The probes to send to `port`, in send order.
    ///
    /// For TCP the first entry is normally the NULL probe (listen for a banner, send nothing).
    /// - Parameters:
    ///   - port: the port number.
    ///   - transport: TCP or UDP.
    ///   - tunnelled: true when probing inside TLS (nmap then uses `sslports` instead of `ports`).
    ///   - softMatchedService: the service a soft match has named so far; planners may then send only probes that
    ///     can refine it (nmap's soft-match pruning).
    func plan(port: UInt16, transport: Transport, tunnelled: Bool, softMatchedService: String?) -> [Probe]
}
