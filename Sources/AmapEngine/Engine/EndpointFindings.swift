import AmapSignatures

/// Everything learned about one endpoint while probing it, and the rules that turn matches into events and into
/// the decision to stop.
struct EndpointFindings {
    /// What to do after a read was matched.
    enum Decision: Sendable, Hashable {
        /// Keep reading this probe's answer.
        case keepReading
        /// This probe is answered; go on with the next.
        case nextProbe
        /// The pass is over (a final identification, or TLS detected in the plain pass).
        case stopPass
    }

    /// The endpoint.
    let endpoint: Endpoint
    private let configuration: ScanConfiguration
    private let emit: @Sendable (ScanEvent) -> Void
    /// Identifications in the order found.
    private(set) var identifications: [Identification] = []
    private var seen: Set<String> = []
    /// The service a soft match named, per pass.
    private(set) var softService: String?
    /// The first non-empty response: bytes, probe name, and whether it came over TLS.
    private(set) var firstResponse: (bytes: [UInt8], probe: String, overTLS: Bool)?
    /// True when the plain pass saw TLS (an identification asking for it, or a TLS record).
    private(set) var tlsRequested = false
    /// The name of the probe whose answer looked like TLS, when it was the sniffer that saw it.
    private var sniffedBy: String?
    /// TLS details from the handshake.
    var tls: TLSDetails?
    /// Why probing ended early.
    var note: String?

    init(endpoint: Endpoint, configuration: ScanConfiguration, emit: @escaping @Sendable (ScanEvent) -> Void) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.emit = emit
    }

    /// Records what the matcher said about `response` (everything received so far for `probe`).
    mutating func record(
        _ hits: [Identification],
        response: [UInt8],
        probe: Probe,
        tunnelled: Bool
    ) -> Decision {
        var decision = Decision.keepReading
        let firstHard = hits.firstIndex { !$0.isSoft }
        for (index, hit) in hits.enumerated() {
            var hit = hit
            if tunnelled { hit.isTunnelled = true }
            if hit.isSoft {
                // nmap keeps the first soft match only; a hard match in the same answer outranks it.
                guard firstHard == nil, softService == nil || configuration.reportAllMatches else { continue }
                if softService == nil { softService = hit.service }
                if add(hit, response: response, probe: probe, tunnelled: tunnelled) {
                    decision = stronger(decision, configuration.stopAtFirstIdentification ? .stopPass : .nextProbe)
                }
                continue
            }
            if !configuration.reportAllMatches && index != firstHard { continue }
            _ = add(hit, response: response, probe: probe, tunnelled: tunnelled)
            if hit.requestsTLSRestart && !tunnelled {
                tlsRequested = true
                decision = .stopPass
            } else if !configuration.reportAllMatches || configuration.stopAtFirstIdentification {
                decision = .stopPass
            } else {
                decision = stronger(decision, .nextProbe)
            }
        }
        if !tunnelled && TLSRecordSniffer.looksLikeTLS(response) && !tlsRequested {
            tlsRequested = true
            sniffedBy = probe.name
            decision = .stopPass
        }
        return decision
    }

    /// Remembers the first non-empty answer.
    mutating func noteResponse(_ bytes: [UInt8], probe: Probe, tunnelled: Bool) {
        guard firstResponse == nil, !bytes.isEmpty else { return }
        firstResponse = (bytes, probe.name, tunnelled)
    }

    /// The TLS pass begins: identifications that only said "TLS" are replaced by what is found inside, and the soft
    /// match of the plain pass no longer applies.
    mutating func beginTLSPass() {
        softService = nil
    }

    /// After the TLS pass: if nothing was identified inside the tunnel, the port is still reported as TLS.
    mutating func endTLSPass() {
        let inside = identifications.filter(\.isTunnelled)
        if inside.isEmpty {
            if !identifications.contains(where: \.requestsTLSRestart) {
                let hit = Identification(
                    service: Self.tlsService,
                    evidence: Evidence(probeName: sniffedBy ?? "", signature: Self.snifferLocation)
                )
                _ = add(hit, response: firstResponse?.bytes ?? [], probe: nil, tunnelled: false)
            }
        } else {
            identifications.removeAll { $0.requestsTLSRestart }
        }
    }

    /// The summary for `.finished`.
    func result(state: PortState) -> PortResult {
        PortResult(
            endpoint: endpoint,
            state: state,
            identifications: identifications,
            banner: firstResponse?.bytes,
            bannerProbe: firstResponse?.probe,
            tls: tls,
            note: note
        )
    }

    /// Emits `.unrecognized` when the port answered but nothing was identified (once per endpoint).
    func emitUnrecognizedIfNeeded() {
        guard identifications.isEmpty, let response = firstResponse else { return }
        emit(.unrecognized(endpoint, response: response.bytes, probe: response.probe, overTLS: response.overTLS))
    }

    /// The service name reported for a port that speaks TLS when nothing more is known (nmap's and amap's `ssl`).
    static let tlsService = "ssl"
    /// The evidence location of an identification made by the engine's TLS record sniffer, not by a signature.
    static let snifferLocation = SourceLocation(file: "<engine: TLS record sniffer>", line: 1)

    private mutating func add(_ hit: Identification, response: [UInt8], probe: Probe?, tunnelled: Bool) -> Bool {
        let key = "\(hit.isTunnelled ? "ssl/" : "")\(hit.service)\(hit.isSoft ? "?" : "")"
        guard seen.insert(key).inserted else { return false }
        identifications.append(hit)
        emit(.identified(endpoint, hit, response: response, probe: probe?.name ?? hit.evidence.probeName,
                         overTLS: tunnelled))
        return true
    }

    private func stronger(_ lhs: Decision, _ rhs: Decision) -> Decision {
        switch (lhs, rhs) {
        case (.stopPass, _), (_, .stopPass): .stopPass
        case (.nextProbe, _), (_, .nextProbe): .nextProbe
        default: .keepReading
        }
    }
}
