import AmapModel

/// A matcher that can also try a response against the lines of every other probe of its transport.
///
/// The engine asks only when the sending probe's own chain found nothing, and treats what comes back as soft
/// evidence of last resort (see the engine's `EndpointFindings.recordCrossProbe`).
public protocol CrossProbeMatching: Sendable {
    /// The best hit among the lines of probes outside `probe`'s own chain (first hard, else first soft), labelled
    /// with the owning probe in `Evidence.matchedViaProbe`; empty when none matched.
    func identifyAcrossProbes(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool)
        -> [Identification]

    /// The probe named `name` (a cross-probe hit's `matchedViaProbe`), so that the engine can send it to confirm
    /// the hit through that probe's own chain.
    func owningProbe(named name: String, transport: Transport) -> Probe?

    /// The names of every probe outside `probe`'s own chain with a hard line that matches `response`, in file
    /// order, each once: the probes that could name the answer through their own chain. The engine uses them only
    /// to schedule (a server that served one client at a time may answer such a probe when it comes alone).
    func probesWithHardLines(matching response: [UInt8], probe: Probe, transport: Transport) -> [String]
}
