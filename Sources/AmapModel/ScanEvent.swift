/// What the engine reports, the moment it is known, so that output streams and nothing found is lost.
public enum ScanEvent: Sendable, Hashable {
    /// A service was identified on an endpoint; `response` is what matched, answering `probe`.
    /// `overTLS` marks matches made inside a TLS tunnel.
    case identified(Endpoint, Identification, response: [UInt8], probe: String, overTLS: Bool)
    /// A response matched nothing (reported at most once per endpoint, as amap does).
    case unrecognized(Endpoint, response: [UInt8], probe: String, overTLS: Bool)
    /// Banner mode: the first bytes the endpoint sent.
    case banner(Endpoint, [UInt8])
    /// Port-scan mode: the endpoint accepted a connection (or, for UDP, was not refused).
    case portState(Endpoint, PortState)
    /// A problem to warn about (resource limits, a failed TLS pass, a failed proxy), about one endpoint or (nil) the
    /// whole scan; switch on the warning's ``ScanWarning/kind``, print its ``ScanWarning/description``.
    case warning(Endpoint?, ScanWarning)
    /// Probing of the endpoint has ended; the summary of everything learned.
    case finished(PortResult)
}
