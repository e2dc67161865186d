import AmapEngine
import AmapKit
import AmapModel
import AmapReport
import AmapSignatures
import Foundation
import Testing

/// Runs the real engine, planner and matcher (the built-in database) against one hostile endpoint, measures it, and
/// renders every event through the three report formats.
struct HostileScan {
    /// Short waits so that a whole plan against a silent or slow port takes seconds, not minutes.
    static let configuration = ScanConfiguration(
        connectTimeoutMilliseconds: 1_000, connectAttempts: 1, responseTimeoutMilliseconds: 150,
        bannerWaitMilliseconds: 300, tlsHandshakeTimeoutMilliseconds: 1_000, reportAllMatches: true,
        udpRetransmits: 0, udpRetransmitIntervalMilliseconds: 100, timing: .fixed)

    /// How many budgets a scan may take under a sanitizer (scripts/sanitizers.sh sets AMAP_SANITIZER): CPU-bound work
    /// runs 2 to 20 times slower there, the waits not at all.
    static var sanitizerSlowdown: Int { ProcessInfo.processInfo.environment["AMAP_SANITIZER"] == nil ? 1 : 3 }

    /// The built-in database, loaded once.
    static let database: SignatureDatabase = {
        do {
            return try BuiltinDatabase.load().database
        } catch {
            Issue.record("the built-in database did not load: \(error)")
            return SignatureDatabase()
        }
    }()

    /// The scanner's planner (AmapKit's, the CLI's): nmap's rules over the built-in probes, with the TLS
    /// ClientHello early.
    static func planner(tlsPass: Bool = true) -> any ProbePlanner {
        AmapScanner.planner(database: database, selection: ProbeSelection(), tlsPass: tlsPass)
    }

    /// What one scan produced.
    struct Report {
        var events: [ScanEvent]
        var elapsed: Duration
        var human: String
        var jsonLines: String
        var xml: String
        /// The most response bytes one connection held at once, as the engine counted them.
        var peakBytesHeldPerConnection = 0
        /// The process's RSS when the scan began and its peak when the scan ended, before the outputs were rendered
        /// (kB, from /proc/self/status; the peak is reset at the start where the kernel allows it).
        var rssBeforeKB = 0
        var peakRSSAfterKB = 0

        var results: [PortResult] {
            events.compactMap { if case .finished(let result) = $0 { result } else { nil } }
        }

        var identifications: [Identification] {
            events.compactMap { if case .identified(_, let hit, _, _, _) = $0 { hit } else { nil } }
        }

        var seconds: Double {
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
    }

    /// Scans `endpoints` and checks the invariants every hostile scan must keep: exactly one `.finished` per
    /// endpoint, the last event a `.finished`, no response longer than the cap, and every output escaped.
    static func run(
        _ endpoints: [Endpoint],
        configuration: ScanConfiguration = HostileScan.configuration,
        planner: (any ProbePlanner)? = nil,
        matcher: (any ResponseMatcher)? = nil,
        label: String,
        budget: Duration
    ) async -> Report {
        let engine = ScanEngine(
            configuration: configuration, planner: planner ?? Self.planner(),
            matcher: matcher ?? CombinedMatcher(database: database))
        ProcessMemory.resetPeak()
        let rssBefore = ProcessMemory.kilobytes("VmRSS") ?? 0
        let started = ContinuousClock.now
        var events: [ScanEvent] = []
        for await event in engine.scan(endpoints) { events.append(event) }
        let elapsed = ContinuousClock.now - started
        let peakAfter = ProcessMemory.kilobytes("VmHWM") ?? 0

        var human = AmapHumanFormatter(
            destination: .terminal,
            options: AmapHumanOptions(mode: .mapping, showsTrigger: true, appendsBanner: true,
                                      dumpsUnrecognized: true, dumpsIdentified: true))
        var json = JSONLinesFormatter()
        var xml = NmapXMLFormatter(run: NmapRunInfo(arguments: "amap hostile-test"))
        var report = Report(events: events, elapsed: elapsed, human: "", jsonLines: "", xml: "",
                            peakBytesHeldPerConnection: engine.responseMemory.peakBytesHeldPerConnection,
                            rssBeforeKB: rssBefore, peakRSSAfterKB: peakAfter)
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        report.human += human.header(startedAt: date)
        report.jsonLines += json.header(startedAt: date)
        report.xml += xml.header(startedAt: date)
        for event in events {
            report.human += human.format(event)
            report.jsonLines += json.format(event)
            report.xml += xml.format(event)
        }
        report.human += human.footer(finishedAt: date)
        report.jsonLines += json.footer(finishedAt: date)
        report.xml += xml.footer(finishedAt: date)

        let cap = configuration.normalized.responseByteCap
        #expect(report.peakBytesHeldPerConnection <= cap,
                "\(label): a connection held \(report.peakBytesHeldPerConnection) response bytes, over the cap \(cap)")
        print(String(format: "hostile: %@: %.2f s (budget %d s), %d event(s), %d identification(s)",
                     label, report.seconds, Int(budget.components.seconds), events.count,
                     report.identifications.count))
        // "Never hangs" needs a time bound; each budget is derived from the plan's waits with room for a loaded
        // machine. A sanitizer slows the instrumented code, not the waits, so its runs get a multiple of the budget.
        let allowed = budget * Self.sanitizerSlowdown
        #expect(elapsed < allowed, "\(label): \(report.seconds) s exceeds the budget \(allowed)")
        #expect(report.results.count == endpoints.count, "\(label): one .finished per endpoint")
        if case .finished = events.last {} else { Issue.record("\(label): the stream must end with .finished") }
        for event in events {
            switch event {
            case .identified(_, _, let response, _, _), .unrecognized(_, let response, _, _), .banner(_, let response):
                #expect(response.count <= cap, "\(label): a response of \(response.count) bytes exceeds the cap \(cap)")
            case .finished(let result):
                #expect((result.banner?.count ?? 0) <= cap, "\(label): banner exceeds the cap")
            default:
                break
            }
        }
        OutputSafety.expectEscaped(report.human, format: "human", label: label)
        OutputSafety.expectEscaped(report.jsonLines, format: "JSON Lines", label: label)
        OutputSafety.expectEscaped(report.xml, format: "XML", label: label)
        OutputSafety.expectValidJSONLines(report.jsonLines, label: label)
        OutputSafety.expectWellFormedXML(report.xml, label: label)
        return report
    }
}
