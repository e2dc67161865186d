import AmapModel

/// Several matchers asked in turn (nmap-style probe chains first, then amap-style response lines), with echoes of
/// our own probes ignored.
public struct CombinedMatcher: ResponseMatcher, CrossProbeMatching {
    /// The matchers, in the order their hits are ranked.
    public let matchers: [any ResponseMatcher]

    /// Creates a matcher asking `matchers` in order.
    public init(_ matchers: [any ResponseMatcher]) {
        self.matchers = matchers
    }

    /// Builds the usual matcher for a database: nmap rules over probes' own lines, then amap's response lines.
    public init(database: SignatureDatabase) {
        var matchers: [any ResponseMatcher] = [NmapMatcher(database: database)]
        if !database.responseSignatures.isEmpty {
            matchers.append(AmapMatcher(database: database))
        }
        self.init(matchers)
    }

    /// All hits of all matchers, in matcher order, without repeating a service; nothing for an echo.
    public func identify(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool) -> [Identification] {
        if EchoGuard.isEcho(response, of: probe) { return [] }
        var hits: [Identification] = []
        for matcher in matchers {
            for hit in matcher.identify(response, probe: probe, transport: transport, tunnelled: tunnelled)
            where !hits.contains(where: { $0.service == hit.service && $0.isSoft == hit.isSoft }) {
                hits.append(hit)
            }
        }
        return hits
    }

    /// The first cross-probe hit of the first matcher that offers cross-probe matching; nothing for an echo.
    public func identifyAcrossProbes(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool)
        -> [Identification]
    {
        if EchoGuard.isEcho(response, of: probe) { return [] }
        for case let matcher as any CrossProbeMatching in matchers {
            let hits = matcher.identifyAcrossProbes(response, probe: probe, transport: transport, tunnelled: tunnelled)
            if !hits.isEmpty { return hits }
        }
        return []
    }

    /// The probes of every matcher that offers cross-probe matching whose hard lines match `response`; nothing for
    /// an echo.
    public func probesWithHardLines(matching response: [UInt8], probe: Probe, transport: Transport) -> [String] {
        if EchoGuard.isEcho(response, of: probe) { return [] }
        var owners: [String] = []
        for case let matcher as any CrossProbeMatching in matchers {
            for owner in matcher.probesWithHardLines(matching: response, probe: probe, transport: transport)
            where !owners.contains(owner) {
                owners.append(owner)
            }
        }
        return owners
    }

    /// The probe named `name` in the first matcher that knows it.
    public func owningProbe(named name: String, transport: Transport) -> Probe? {
        for case let matcher as any CrossProbeMatching in matchers {
            if let probe = matcher.owningProbe(named: name, transport: transport) { return probe }
        }
        return nil
    }
}
