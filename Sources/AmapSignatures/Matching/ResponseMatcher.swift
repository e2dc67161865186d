import AmapModel

/// Turns the bytes a port sent into identifications. Pure: no I/O, so every decision is testable from bytes.
public protocol ResponseMatcher: Sendable {
    /// Identifications for `response`, everything received so far answering `probe`.
    ///
    /// - Parameters:
    ///   - response: all bytes received for this probe so far (bounded by the engine).
    ///   - probe: the probe that was sent (the NULL probe for a banner).
    ///   - transport: the transport the bytes came over.
    ///   - tunnelled: true when the bytes came from inside a TLS tunnel.
    /// - Returns: hits in the order the rules rank them; empty when nothing matched.
    func identify(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool) -> [Identification]
}
