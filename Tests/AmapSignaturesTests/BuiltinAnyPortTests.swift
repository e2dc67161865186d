import AmapSignatures
import Testing

/// The built-in database names a service on any port: every TCP probe that is not marked harmful goes to a port that
/// no probe lists, at the default intensity; port hints only put the listed probes first.
@Suite struct BuiltinAnyPortTests {
    /// A port no built-in probe lists.
    static let unlistedPort: UInt16 = 18_765

    /// Probes another change owns: iperf3's one-byte answer is too little evidence for any port, so its probe stays
    /// on iperf3's own port until its signature says more (the iperf3 work on the database).
    static let portBoundByDesign: Set<String> = ["Iperf3Cookie"]

    static func planner(_ selection: ProbeSelection = ProbeSelection()) throws -> NmapProbePlanner {
        NmapProbePlanner(database: try BuiltinDatabase.load().database, selection: selection)
    }

    @Test func noBuiltinProbeListsTheTestPort() throws {
        let database = try BuiltinDatabase.load().database
        let listing = database.probes.filter {
            $0.ports.contains(Self.unlistedPort) || $0.sslPorts.contains(Self.unlistedPort)
        }
        #expect(listing.isEmpty, "\(listing.map(\.name))")
        #expect(database.excludedTCPPorts.isEmpty && database.excludedUDPPorts.isEmpty,
                "the built-in database excludes no port")
    }

    @Test func everyHarmlessTCPProbeGoesToAnUnlistedPort() throws {
        let planner = try Self.planner()
        let plan = planner.plan(port: Self.unlistedPort, transport: .tcp, tunnelled: false, softMatchedService: nil)
        let planned = Set(plan.map(\.location))
        let missing = planner.database.probes.filter { probe in
            probe.transport == .tcp && !probe.isHarmful && !Self.portBoundByDesign.contains(probe.name)
                && !planned.contains(probe.location)
                // A probe continued in another file is the same probe: the first definition is the one planned.
                && planner.database.probe(named: probe.name, transport: .tcp)?.location == probe.location
        }
        #expect(missing.isEmpty,
                "never sent to port \(Self.unlistedPort): \(missing.map { "\($0.name) rarity \($0.rarity)" })")
        #expect(plan.first?.isNull == true, "the NULL probe (banner wait) comes first")
    }

    @Test func everyHarmlessTCPProbeHasARarityWithinTheDefaultIntensity() throws {
        let database = try BuiltinDatabase.load().database
        let tooRare = database.probes.filter {
            $0.transport == .tcp && !$0.isHarmful && !Self.portBoundByDesign.contains($0.name)
                && $0.rarity > ProbeSelection.defaultIntensity
        }
        #expect(tooRare.isEmpty, "\(tooRare.map { "\($0.name) rarity \($0.rarity)" })")
    }

    @Test func portHintsOrderButNeverExclude() throws {
        let planner = try Self.planner()
        let onEPMDPort = planner.plan(port: 4369, transport: .tcp, tunnelled: false, softMatchedService: nil)
        let elsewhere = planner.plan(port: Self.unlistedPort, transport: .tcp, tunnelled: false,
                                     softMatchedService: nil)
        #expect(onEPMDPort.dropFirst().first?.name == "EPMDNames", "the listed probe goes right after NULL")
        #expect(elsewhere.contains { $0.name == "EPMDNames" }, "and is still sent where it is not listed")
        #expect(Set(onEPMDPort.map(\.location)) == Set(elsewhere.map(\.location)), "the same probes, another order")
    }

    @Test func harmfulProbesAndIntensityAreTheWaysToSendLess() throws {
        let all = try Self.planner()
            .plan(port: Self.unlistedPort, transport: .tcp, tunnelled: false, softMatchedService: nil)
        let noHarm = try Self.planner(ProbeSelection(skipHarmful: true))
            .plan(port: Self.unlistedPort, transport: .tcp, tunnelled: false, softMatchedService: nil)
        let light = try Self.planner(ProbeSelection(intensity: 2))
            .plan(port: Self.unlistedPort, transport: .tcp, tunnelled: false, softMatchedService: nil)
        #expect(!noHarm.contains { $0.isHarmful })
        #expect(light.count < noHarm.count && noHarm.count <= all.count)
    }
}
