/// nmap's matching rules over probes that carry their own signatures (nmap-service-probes and our database).
///
/// A response to probe P is tried against P's own lines, then each of P's fallbacks' lines in order, then (TCP only)
/// the NULL probe's lines. The first hard match wins; the first soft match is kept in case no hard match follows.
public struct NmapMatcher: ResponseMatcher {
    /// The effective match list of each probe, resolved once: (owning probe name, signature).
    private let chains: [ProbeKey: [(owner: String, signature: Signature)]]

    private struct ProbeKey: Hashable {
        var name: String
        var transport: Transport
    }

    /// Builds the match lists of every probe in `database`.
    public init(database: SignatureDatabase) {
        var byKey: [ProbeKey: Probe] = [:]
        for probe in database.probes where byKey[ProbeKey(name: probe.name, transport: probe.transport)] == nil {
            byKey[ProbeKey(name: probe.name, transport: probe.transport)] = probe
        }
        let null = database.nullProbe
        var chains: [ProbeKey: [(owner: String, signature: Signature)]] = [:]
        for (key, probe) in byKey {
            var chain: [(owner: String, signature: Signature)] = probe.signatures.map { (probe.name, $0) }
            var seen: Set<ProbeKey> = [key]
            for name in probe.fallbackNames {
                // Same transport first, then any, as nmap resolves fallback names.
                let fallback = byKey[ProbeKey(name: name, transport: probe.transport)]
                    ?? Transport.allCases.lazy.compactMap { byKey[ProbeKey(name: name, transport: $0)] }.first
                guard let fallback else { continue }
                let fallbackKey = ProbeKey(name: fallback.name, transport: fallback.transport)
                guard seen.insert(fallbackKey).inserted else { continue }
                chain += fallback.signatures.map { (fallback.name, $0) }
            }
            if probe.transport == .tcp, let null, seen.insert(ProbeKey(name: null.name, transport: .tcp)).inserted {
                chain += null.signatures.map { (null.name, $0) }
            }
            chains[key] = chain
        }
        // A probe unknown to this database (an amap trigger, say) still gets the NULL probe's lines over TCP.
        if let null {
            chains[ProbeKey(name: "", transport: .tcp)] = null.signatures.map { (null.name, $0) }
        }
        self.chains = chains
    }

    /// The first hard match in the probe's effective list, else its first soft match, else nothing.
    public func identify(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool) -> [Identification] {
        guard !response.isEmpty else { return [] }
        let chain =
            chains[ProbeKey(name: probe.name, transport: transport)]
            ?? (transport == .tcp ? chains[ProbeKey(name: "", transport: .tcp)] ?? [] : [])
        var soft: Identification?
        for (owner, signature) in chain {
            if soft != nil && signature.strength == .soft { continue }
            guard case .matched(let match) = signature.pattern.firstMatch(in: response) else { continue }
            let identification = Identification(
                service: signature.service,
                isSoft: signature.strength == .soft,
                version: signature.templates.expand(match, subject: response),
                isTunnelled: tunnelled || signature.isTunnelled,
                evidence: Evidence(
                    probeName: probe.name,
                    signature: signature.location,
                    matchedViaProbe: owner == probe.name ? nil : owner,
                    captures: (1..<max(1, match.groups.count)).map { index in
                        match.capture(index, in: response).map(Self.printable) ?? ""
                    }
                )
            )
            if signature.strength == .hard { return [identification] }
            soft = identification
        }
        return soft.map { [$0] } ?? []
    }

    /// Capture text for evidence: printable ASCII kept, everything else as `\xHH`.
    static func printable(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                text += "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
            }
        }
        return text
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
