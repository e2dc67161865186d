import AmapModel

/// nmap's matching rules over probes that carry their own signatures (nmap-service-probes and our database).
///
/// A response to probe P is tried against P's own lines, then each of P's fallbacks' lines in order, then (TCP only)
/// the NULL probe's lines. The first hard match wins; the first soft match is kept in case no hard match follows.
///
/// Lines are prefiltered: a pattern anchored with `^` and a literal prefix is only run on responses starting with
/// that prefix (`LiteralPrefix`, `PrefilteredSignatures`); the result is the same as running every regex.
public struct NmapMatcher: ResponseMatcher, CrossProbeMatching {
    /// The effective match list of each probe, resolved once.
    private let chains: [ProbeKey: PrefilteredSignatures]
    /// The probes whose lines each chain holds (its own, fallbacks, NULL).
    private let chainOwners: [ProbeKey: Set<String>]
    /// Every line of every probe, per transport, for cross-probe matching.
    private let everyLine: [Transport: PrefilteredSignatures]
    /// The first definition of every probe, by name and transport.
    private let probes: [ProbeKey: Probe]

    private struct ProbeKey: Hashable {
        var name: String
        var transport: Transport
    }

    /// Builds the match lists of every probe in `database`.
    ///
    /// - Parameter prefilter: false runs every regex of a chain (the reference behaviour, for differential tests).
    public init(database: SignatureDatabase, prefilter: Bool = true) {
        var byKey: [ProbeKey: Probe] = [:]
        for probe in database.probes where byKey[ProbeKey(name: probe.name, transport: probe.transport)] == nil {
            byKey[ProbeKey(name: probe.name, transport: probe.transport)] = probe
        }
        let null = database.nullProbe
        let table = SignatureTable(probes: database.probes, prefilter: prefilter)
        var chains: [ProbeKey: PrefilteredSignatures] = [:]
        var owners: [ProbeKey: Set<String>] = [:]
        for (key, probe) in byKey {
            var chain = table.indices(of: probe.signatures)
            var seen: Set<ProbeKey> = [key]
            for name in probe.fallbackNames {
                // Same transport first, then any, as nmap resolves fallback names.
                let fallback = byKey[ProbeKey(name: name, transport: probe.transport)]
                    ?? Transport.allCases.lazy.compactMap { byKey[ProbeKey(name: name, transport: $0)] }.first
                guard let fallback else { continue }
                let fallbackKey = ProbeKey(name: fallback.name, transport: fallback.transport)
                guard seen.insert(fallbackKey).inserted else { continue }
                chain += table.indices(of: fallback.signatures)
            }
            if probe.transport == .tcp, let null, seen.insert(ProbeKey(name: null.name, transport: .tcp)).inserted {
                chain += table.indices(of: null.signatures)
            }
            chains[key] = PrefilteredSignatures(chain, table: table)
            owners[key] = Set(seen.map(\.name))
        }
        // A probe unknown to this database (an amap trigger, say) still gets the NULL probe's lines over TCP.
        let unknown = ProbeKey(name: "", transport: .tcp)
        if let null {
            chains[unknown] = PrefilteredSignatures(table.indices(of: null.signatures), table: table)
            owners[unknown] = [null.name]
        }
        var everyLine: [Transport: PrefilteredSignatures] = [:]
        for transport in Transport.allCases {
            var seenLines: Set<Int32> = []
            let lines = database.probes.filter { $0.transport == transport }
                .flatMap { table.indices(of: $0.signatures) }
                .filter { seenLines.insert($0).inserted }
            everyLine[transport] = PrefilteredSignatures(lines, table: table)
        }
        self.chains = chains
        self.probes = byKey
        self.chainOwners = owners
        self.everyLine = everyLine
    }

    /// The first hard match in the probe's effective list, else its first soft match, else nothing.
    public func identify(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool) -> [Identification] {
        guard !response.isEmpty, let chain = chain(for: probe, transport: transport) else { return [] }
        return Self.best(in: chain, response: response, probe: probe, tunnelled: tunnelled) { _ in true }
    }

    /// See ``CrossProbeMatching/identifyAcrossProbes(_:probe:transport:tunnelled:)``.
    public func identifyAcrossProbes(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool)
        -> [Identification]
    {
        guard !response.isEmpty, let lines = everyLine[transport] else { return [] }
        let own = chainOwners[ProbeKey(name: probe.name, transport: transport)]
            ?? chainOwners[ProbeKey(name: "", transport: transport)] ?? []
        return Self.best(in: lines, response: response, probe: probe, tunnelled: tunnelled) { owner in
            !own.contains(owner)
        }
    }

    /// See ``CrossProbeMatching/probesWithHardLines(matching:probe:transport:)``.
    public func probesWithHardLines(matching response: [UInt8], probe: Probe, transport: Transport) -> [String] {
        guard !response.isEmpty, let lines = everyLine[transport] else { return [] }
        let own = chainOwners[ProbeKey(name: probe.name, transport: transport)]
            ?? chainOwners[ProbeKey(name: "", transport: transport)] ?? []
        var owners: [String] = []
        lines.forEachCandidate(for: response) { entry in
            if entry.signature.strength == .hard, !own.contains(entry.owner), !owners.contains(entry.owner),
                entry.signature.firstMatch(in: response) != nil
            {
                owners.append(entry.owner)
            }
            return true
        }
        return owners
    }

    /// See ``CrossProbeMatching/owningProbe(named:transport:)``.
    public func owningProbe(named name: String, transport: Transport) -> Probe? {
        probes[ProbeKey(name: name, transport: transport)]
    }

    private func chain(for probe: Probe, transport: Transport) -> PrefilteredSignatures? {
        chains[ProbeKey(name: probe.name, transport: transport)]
            ?? (transport == .tcp ? chains[ProbeKey(name: "", transport: .tcp)] : nil)
    }

    private static func best(
        in lines: PrefilteredSignatures,
        response: [UInt8],
        probe: Probe,
        tunnelled: Bool,
        where include: (String) -> Bool
    ) -> [Identification] {
        var soft: Identification?
        var hard: Identification?
        lines.forEachCandidate(for: response) { entry in
            let signature = entry.signature
            if soft != nil && signature.strength == .soft { return true }
            guard include(entry.owner),
                let match = signature.firstMatch(in: response)
            else { return true }
            let identification = Identification(
                service: signature.service,
                isSoft: signature.strength == .soft,
                version: signature.templates.expand(match, subject: response),
                isTunnelled: tunnelled || signature.isTunnelled,
                evidence: Evidence(
                    probeName: probe.name,
                    signature: signature.location,
                    matchedViaProbe: entry.owner == probe.name ? nil : entry.owner,
                    captures: (1..<max(1, match.groups.count)).map { index in
                        match.capture(index, in: response).map(PrintableBytes.text) ?? ""
                    }
                )
            )
            if signature.strength == .hard {
                hard = identification
                return false
            }
            soft = identification
            return true
        }
        return (hard ?? soft).map { [$0] } ?? []
    }
}
