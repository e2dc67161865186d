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
    /// A problem to warn about (could not connect, refused, resource limits).
    case warning(Endpoint?, String)
    /// Probing of the endpoint has ended; the summary of everything learned.
    case finished(PortResult)
}
