import AmapModel
import AmapSignatures

/// Everything learned about one endpoint while probing it, and the rules that turn matches into events and into
/// the decision to stop: the one home of the per-port result rules (no identification twice, nmap's first hard
/// match or amap's every match, `-1`, soft matches held back, nothing more once a port echoes).
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
    /// Soft matches, held back until the port is finished: nmap reports a soft match only when no hard match
    /// follows, and emitting it early made the output say `pop3` and then `pop3 (Dovecot pop3d)`.
    private(set) var pendingSoft: [PendingHit] = []
    /// The first match of another probe's lines, when the sending probe's own chain had nothing: kept as soft
    /// evidence of last resort (see `recordCrossProbe`).
    private(set) var crossProbe: PendingHit?
    /// A hit waiting for the end of the port, with the bytes and probe behind it.
    struct PendingHit {
        var hit: Identification
        var response: [UInt8]
        var probe: Probe?
        var tunnelled: Bool
    }
    /// The service a soft match named, per pass.
    private(set) var softService: String?
    /// The first non-empty response: bytes, probe name, and whether it came over TLS.
    private(set) var firstResponse: (bytes: [UInt8], probe: String, overTLS: Bool)?
    /// True when the plain pass saw TLS (an identification asking for it or naming a service inside TLS, or a TLS
    /// record).
    private(set) var tlsRequested = false
    /// The name of the probe whose answer looked like TLS, when it was the sniffer that saw it.
    private var sniffedBy: String?
    /// TLS details from the handshake.
    var tls: TLSDetails?
    /// Why probing ended early.
    var note: String?
    /// How probing ended, when something more specific than the state's default is known.
    var status: ScanStatus?

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
        // amap's rule: a port that echoes gains nothing more (it answers every probe with the probe).
        if identifications.contains(where: { !$0.isSoft && $0.service == AmapMatcher.echoService }) {
            return .nextProbe
        }
        var decision = Decision.keepReading
        let firstHard = hits.firstIndex { !$0.isSoft }
        for (index, hit) in hits.enumerated() {
            var hit = hit
            if tunnelled { hit.isTunnelled = true }
            if hit.isSoft {
                // nmap keeps the first soft match only; a hard match in the same answer outranks it.
                guard firstHard == nil, softService == nil || configuration.reportAllMatches else { continue }
                if softService == nil { softService = hit.service }
                if deferSoft(hit, response: response, probe: probe, tunnelled: tunnelled) {
                    decision = stronger(decision, configuration.stopAtFirstIdentification ? .stopPass : .nextProbe)
                }
                continue
            }
            if !configuration.reportAllMatches && index != firstHard { continue }
            _ = add(hit, response: response, probe: probe, tunnelled: tunnelled)
            // A plaintext answer that names a service inside TLS (nginx's `ssl/http` "plain HTTP request was sent
            // to HTTPS port" page) also asks for the TLS pass: it reads the certificate and identifies inside.
            if (hit.requestsTLSRestart || hit.isTunnelled) && !tunnelled {
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

    /// Records what matching a response against every other probe's lines found, when the sending probe's own
    /// chain (its lines, fallbacks and the NULL probe's) found nothing.
    ///
    /// Such a hit is reported only as a soft match, and only when the port ends with no hard match and no soft
    /// match of its own: on nmap's database, lines written for other probes' answers misread real daemons (a
    /// PostgreSQL error as MongoDB, a DNS answer as pc-duo), so they never outrank the probe's own chain, never
    /// prune the plan and never stop probing.
    mutating func recordCrossProbe(_ hits: [Identification], response: [UInt8], probe: Probe, tunnelled: Bool) {
        guard crossProbe == nil, var hit = hits.first else { return }
        hit.isSoft = true
        if tunnelled { hit.isTunnelled = true }
        crossProbe = PendingHit(hit: hit, response: response, probe: probe, tunnelled: tunnelled)
    }

    /// Ends the endpoint: emits the held-back soft match (or the cross-probe evidence) when no hard match was
    /// made, then `.unrecognized` when nothing was identified.
    mutating func finish() {
        if identifications.isEmpty {
            for pending in pendingSoft {
                emitNow(pending.hit, response: pending.response, probe: pending.probe, tunnelled: pending.tunnelled)
            }
        }
        if identifications.isEmpty, let pending = crossProbe {
            emitNow(pending.hit, response: pending.response, probe: pending.probe, tunnelled: pending.tunnelled)
        }
        emitUnrecognizedIfNeeded()
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
        let inside = identifications.filter(\.isTunnelled) + pendingSoft.map(\.hit).filter(\.isTunnelled)
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

    /// True when the port was named as ONC RPC (amap's `rpc`/`rpc-*`, or the name of a program of `programs`),
    /// by a hard or a held-back soft match: the ports the RPC pass asks about programs.
    func speaksONCRPC(programs: [RPCProgram]) -> Bool {
        let names = Set(programs.map(\.name))
        return (identifications.map(\.service) + pendingSoft.map(\.hit.service)).contains {
            $0 == Self.rpcService || $0.hasPrefix(Self.rpcService + "-") || names.contains($0)
        }
    }

    /// Records the RPC pass's hit. As amap clears a port's names before its RPC pass, the names that only said
    /// "ONC RPC" give way to the program (they were already reported as they were found). The event carries no
    /// response: amap prints RPC-pass matches without a banner.
    mutating func recordRPC(_ hit: Identification, programs: [RPCProgram]) {
        let names = Set(programs.map(\.name))
        let isRPC: (Identification) -> Bool = {
            $0.service == Self.rpcService || $0.service.hasPrefix(Self.rpcService + "-") || names.contains($0.service)
        }
        identifications.removeAll(where: isRPC)
        pendingSoft.removeAll { isRPC($0.hit) }
        if crossProbe.map({ isRPC($0.hit) }) == true { crossProbe = nil }
        seen.insert(Self.key(hit))
        emitNow(hit, response: [], probe: nil, tunnelled: hit.isTunnelled)
    }

    /// amap's name for "some ONC RPC program" (and the prefix of its RPC-pass names).
    static let rpcService = "rpc"

    /// The summary for `.finished`.
    func result(state: PortState) -> PortResult {
        // An open port that never sent a byte was read from until every wait ran out.
        let silent = state == .open && firstResponse == nil && tls == nil
        return PortResult(
            endpoint: endpoint,
            state: state,
            identifications: identifications,
            banner: firstResponse?.bytes,
            bannerProbe: firstResponse?.probe,
            tls: tls,
            note: note,
            status: status ?? (silent ? .ioTimeout : ScanStatus(defaultFor: state))
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
        guard seen.insert(Self.key(hit)).inserted else { return false }
        emitNow(hit, response: response, probe: probe, tunnelled: tunnelled)
        return true
    }

    private mutating func deferSoft(_ hit: Identification, response: [UInt8], probe: Probe, tunnelled: Bool) -> Bool {
        guard seen.insert(Self.key(hit)).inserted else { return false }
        pendingSoft.append(PendingHit(hit: hit, response: response, probe: probe, tunnelled: tunnelled))
        return true
    }

    private mutating func emitNow(_ hit: Identification, response: [UInt8], probe: Probe?, tunnelled: Bool) {
        identifications.append(hit)
        emit(.identified(endpoint, hit, response: response, probe: probe?.name ?? hit.evidence.probeName,
                         overTLS: tunnelled))
    }

    private static func key(_ hit: Identification) -> String {
        "\(hit.isTunnelled ? "ssl/" : "")\(hit.service)\(hit.isSoft ? "?" : "")"
    }

    private func stronger(_ lhs: Decision, _ rhs: Decision) -> Decision {
        switch (lhs, rhs) {
        case (.stopPass, _), (_, .stopPass): .stopPass
        case (.nextProbe, _), (_, .nextProbe): .nextProbe
        default: .keepReading
        }
    }
}
