import AmapModel
import AmapSignatures
import Synchronization
import Testing
@testable import AmapEngine

/// The rules that turn hits into events: soft matches wait for the end of the port, cross-probe evidence ranks
/// below everything the probe's own chain says.
@Suite struct EndpointFindingsTests {
    private let endpoint = Endpoint(host: "127.0.0.1", port: 18432, transport: .tcp)
    private let probe = TestProbes.probe("SMBProgNeg", "x")

    private func hit(_ service: String, soft: Bool = false, via: String? = nil) -> Identification {
        Identification(service: service, isSoft: soft, evidence: Evidence(
            probeName: probe.name, signature: SourceLocation(file: "db", line: 1), matchedViaProbe: via))
    }

    private func findings(_ events: EventLog, amapRules: Bool = false, stopAtFirst: Bool = false)
        -> EndpointFindings
    {
        let configuration = ScanConfiguration(
            stopAtFirstIdentification: stopAtFirst, reportAllMatches: amapRules, timing: .fixed)
        return EndpointFindings(endpoint: endpoint, configuration: configuration.normalized) { events.append($0) }
    }

    @Test func ownHardMatchOutranksCrossProbeEvidence() {
        // A PostgreSQL error that another probe's line reads as MongoDB: the own chain's answer is the one reported.
        let events = EventLog()
        var findings = findings(events)
        findings.recordCrossProbe([hit("mongodb", via: "mongodb")], response: [0x45], probe: probe, tunnelled: false)
        _ = findings.record([hit("postgresql")], response: [0x45], probe: probe, tunnelled: false)
        findings.finish()
        #expect(events.services == ["postgresql"])
    }

    @Test func ownSoftMatchOutranksCrossProbeEvidence() {
        let events = EventLog()
        var findings = findings(events)
        findings.recordCrossProbe([hit("pc-duo", via: "Other")], response: [1], probe: probe, tunnelled: false)
        _ = findings.record([hit("domain", soft: true)], response: [1], probe: probe, tunnelled: false)
        findings.finish()
        #expect(events.services == ["domain?"])
    }

    @Test func crossProbeEvidenceAloneIsReportedSoftAndLabelled() {
        let events = EventLog()
        var findings = findings(events)
        findings.recordCrossProbe([hit("pc-duo", via: "Other")], response: [1], probe: probe, tunnelled: false)
        #expect(findings.softService == nil, "cross-probe evidence never prunes the plan")
        findings.finish()
        #expect(events.services == ["pc-duo?"])
        #expect(findings.identifications.first?.evidence.matchedViaProbe == "Other")
    }

    @Test func softThenHardEmitsOnlyTheHardMatch() {
        let events = EventLog()
        var findings = findings(events)
        _ = findings.record([hit("pop3", soft: true)], response: [1], probe: probe, tunnelled: false)
        #expect(events.services.isEmpty, "a soft match waits for the end of the port")
        _ = findings.record([hit("pop3")], response: [1], probe: probe, tunnelled: false)
        findings.finish()
        #expect(events.services == ["pop3"])
    }

    // amap's per-port rules (every distinct identification, none twice, `-1`, nothing after `echo`).

    @Test func aPortNeverGetsTheSameIdentificationTwice() {
        let events = EventLog()
        var findings = findings(events, amapRules: true)
        _ = findings.record([hit("a"), hit("b"), hit("a"), hit("c")], response: [1], probe: probe, tunnelled: false)
        _ = findings.record([hit("b"), hit("d")], response: [2], probe: probe, tunnelled: false)
        findings.finish()
        #expect(events.services == ["a", "b", "c", "d"])
    }

    @Test func stopAtFirstTakesOneIdentificationAndEndsThePass() {
        let events = EventLog()
        var findings = findings(events, amapRules: true, stopAtFirst: true)
        let decision = findings.record([hit("a"), hit("b")], response: [1], probe: probe, tunnelled: false)
        findings.finish()
        #expect(decision == .stopPass)
        #expect(events.services == ["a"])
    }

    @Test func anEchoingPortGainsNothingMore() {
        let events = EventLog()
        var findings = findings(events, amapRules: true)
        _ = findings.record([hit("echo")], response: [1], probe: probe, tunnelled: false)
        let decision = findings.record([hit("http")], response: [2], probe: probe, tunnelled: false)
        findings.finish()
        #expect(decision == .nextProbe)
        #expect(events.services == ["echo"])
    }
}

/// Collects events from the sink (called from one task here; the mutex makes the closure Sendable).
final class EventLog: Sendable {
    private let events = Mutex<[ScanEvent]>([])

    func append(_ event: ScanEvent) { events.withLock { $0.append(event) } }

    /// `service` or `service?` for each `.identified`, in order.
    var services: [String] {
        events.withLock { list in
            list.compactMap { event in
                guard case .identified(_, let hit, _, _, _) = event else { return nil }
                return hit.service + (hit.isSoft ? "?" : "")
            }
        }
    }
}
