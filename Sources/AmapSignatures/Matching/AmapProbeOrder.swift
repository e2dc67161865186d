/// amap's trigger order for one port, with port hints put to use.
///
/// amap sends every trigger of the port's transport in file order (minus `-H`'s harmful ones, or only `-p NAME`'s).
/// It parsed the triggers' port hints and ignored them; here the triggers whose hints include the port go first
/// (keeping file order among themselves), so `-1` can stop after fewer connections.
public enum AmapProbeOrder {
    /// The probes to send to `port` over `transport`, in order.
    ///
    /// - Parameters:
    ///   - probes: the database's triggers, in file order.
    ///   - selection: `skipHarmful` is `-H`; `onlyProbeNamed` is `-p`, compared case-sensitively with the
    ///     trigger's (lowercased) name, as amap does.
    public static func probes(_ probes: [Probe], transport: Transport, port: UInt16, selection: ProbeSelection)
        -> [Probe]
    {
        let candidates = probes.filter { probe in
            guard probe.transport == transport else { return false }
            if selection.skipHarmful && probe.isHarmful { return false }
            if let only = selection.onlyProbeNamed, probe.name != only { return false }
            return true
        }
        let hinted = candidates.filter { $0.ports.contains(port) }
        let others = candidates.filter { !$0.ports.contains(port) }
        return hinted + others
    }
}

/// A `ProbePlanner` with amap's order (`AmapProbeOrder`). The same triggers go out inside TLS as outside (amap's
/// SSL pass resends them all) and soft matches do not exist in amap, so both arguments are ignored.
public struct AmapProbePlanner: ProbePlanner {
    /// The triggers to choose from, in file order.
    public let probes: [Probe]
    /// `-H` and `-p`.
    public let selection: ProbeSelection

    /// A planner over `database.probes`.
    public init(database: SignatureDatabase, selection: ProbeSelection = ProbeSelection()) {
        self.probes = database.probes
        self.selection = selection
    }

    /// See ``ProbePlanner/plan(port:transport:tunnelled:softMatchedService:)``.
    public func plan(port: UInt16, transport: Transport, tunnelled: Bool, softMatchedService: String?) -> [Probe] {
        AmapProbeOrder.probes(probes, transport: transport, port: port, selection: selection)
    }
}
