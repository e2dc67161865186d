import AmapModel

/// nmap's probe order: the NULL probe (TCP), then probes whose `ports` (`sslports` inside TLS) list the port, in file
/// order and whatever their rarity, then every other probe with rarity ≤ intensity, in file order.
///
/// After a soft match for service S, only probes that have a line for S are sent, whatever their rarity
/// (intensity 9 turns this pruning off). amap triggers, which have no lines of their own, are ordered the same way:
/// their port hints act as `ports`.
public struct NmapProbePlanner: ProbePlanner {
    /// The probes to choose from.
    public let database: SignatureDatabase
    /// Intensity, -H, -p.
    public let selection: ProbeSelection
    /// nmap's `--allports`: ignore the database's Exclude directive.
    public let ignoreExclusions: Bool

    /// The NULL probe used when the database has none (amap's files, say): listen for a banner, send nothing.
    public static let syntheticNull = Probe(
        name: "NULL",
        transport: .tcp,
        payload: [],
        location: SourceLocation(file: "<built-in>", line: 0)
    )

    /// Creates a planner.
    public init(database: SignatureDatabase, selection: ProbeSelection = ProbeSelection(), ignoreExclusions: Bool = false) {
        self.database = database
        self.selection = selection
        self.ignoreExclusions = ignoreExclusions
    }

    /// See ``ProbePlanner/plan(port:transport:tunnelled:softMatchedService:)``.
    public func plan(port: UInt16, transport: Transport, tunnelled: Bool, softMatchedService: String?) -> [Probe] {
        if !ignoreExclusions {
            let excluded = transport == .tcp ? database.excludedTCPPorts : database.excludedUDPPorts
            if excluded.contains(port) { return [] }
        }
        let pruneFor = selection.intensity >= 9 ? nil : softMatchedService
        let candidates = database.probes.filter { probe in
            guard probe.transport == transport, !probe.isNull else { return false }
            if selection.skipHarmful && probe.isHarmful { return false }
            if let only = selection.onlyProbeNamed, !probe.answers(toName: only) { return false }
            if let service = pruneFor, !probe.signatures.contains(where: { $0.service == service }) { return false }
            return true
        }
        let listed = candidates.filter { (tunnelled ? $0.sslPorts : $0.ports).contains(port) }
        let listedNames = Set(listed.map(\.location))
        let rest = candidates.filter { probe in
            !listedNames.contains(probe.location) && (pruneFor != nil || probe.rarity <= selection.intensity)
        }
        var plan: [Probe] = []
        if transport == .tcp && selection.onlyProbeNamed == nil {
            plan.append(database.nullProbe ?? Self.syntheticNull)
        }
        return plan + listed + rest
    }
}
