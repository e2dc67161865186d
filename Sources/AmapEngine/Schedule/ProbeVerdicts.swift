import AmapModel
import AmapSignatures

/// Turns the matcher's hits on an answer into the schedule's `Verdict`, under the scan's reporting rules.
enum ProbeVerdicts {
    /// The matcher's hits on `bytes` answering `probe`; with nmap's verdicts, an answer equal to the probe's
    /// payload is `echo` (as nmap reports it) when nothing else names it.
    static func hits(
        _ bytes: [UInt8],
        probe: Probe,
        transport: Transport,
        tunnelled: Bool,
        matcher: any ResponseMatcher,
        configuration: ScanConfiguration
    ) -> [Identification] {
        let hits = matcher.identify(bytes, probe: probe, transport: transport, tunnelled: tunnelled)
        guard hits.isEmpty, configuration.nmapVerdicts, !probe.payload.isEmpty, bytes == probe.payload else {
            return hits
        }
        return [Identification(service: echoService,
                               evidence: Evidence(probeName: probe.name, signature: echoLocation))]
    }

    /// The service of a port that sends our probe back.
    static let echoService = "echo"
    /// The evidence location of an `echo` verdict, made by the engine, not by a signature.
    static let echoLocation = SourceLocation(file: "<engine: answer equal to the probe>", line: 1)

    /// `.final` when recording the answer ends the pass (a final identification, or TLS seen in the plain pass);
    /// `.matched` for a hit that does not (a soft match naming a service not known yet, a hard match when every
    /// match is reported); `.none` otherwise (reading goes on).
    static func verdict(
        hits: [Identification],
        bytes: [UInt8],
        tunnelled: Bool,
        knownSoft: String?,
        configuration: ScanConfiguration
    ) -> ProbeSchedule.Verdict {
        let endsOnHard = !configuration.reportAllMatches || configuration.stopAtFirstIdentification
        for hit in hits {
            if hit.isSoft {
                if configuration.stopAtFirstIdentification { return .final }
            } else if endsOnHard || (hit.requestsTLSRestart && !tunnelled) {
                return .final
            }
        }
        if !tunnelled && TLSRecordSniffer.looksLikeTLS(bytes) { return .final }
        return hits.contains { !$0.isSoft || $0.service != knownSoft } ? .matched : .none
    }
}
