import AmapModel
import AmapSignatures

/// A planner that returns fixed probe lists, for engine tests.
struct FixedPlanner: ProbePlanner {
    var tcp: [Probe] = []
    var tunnelled: [Probe]?
    var udp: [Probe] = []
    /// The plan after a soft match, by service name.
    var afterSoftMatch: [String: [Probe]] = [:]

    func plan(port: UInt16, transport: Transport, tunnelled: Bool, softMatchedService: String?) -> [Probe] {
        if let service = softMatchedService, let plan = afterSoftMatch[service] { return plan }
        switch transport {
        case .tcp: return tunnelled ? (self.tunnelled ?? tcp) : tcp
        case .udp: return udp
        }
    }
}

/// Builds test probes.
enum TestProbes {
    static func probe(_ name: String, _ payload: String, transport: Transport = .tcp, waitMilliseconds: Int? = nil)
        -> Probe
    {
        Probe(name: name, transport: transport, payload: Array(payload.utf8), totalWaitMilliseconds: waitMilliseconds,
              location: SourceLocation(file: "test", line: 1))
    }

    static let null = probe("NULL", "")
}
