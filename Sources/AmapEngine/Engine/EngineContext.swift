import AmapModel
import AmapSignatures
import NIOCore
import NIOSSL

/// What every per-endpoint task shares: the settings, the planner and matcher, the event loops and the event sink.
struct EngineContext: Sendable {
    /// The normalized configuration.
    var configuration: ScanConfiguration
    /// Decides which probes go to a port.
    var planner: any ProbePlanner
    /// Names services from bytes.
    var matcher: any ResponseMatcher
    /// Where connections live.
    var group: any EventLoopGroup
    /// The TLS client context, shared by every TLS connection; nil when it could not be built.
    var tlsContext: NIOSSLContext?
    /// The same client, but asking BoringSSL to call a verification callback (which accepts every certificate), so
    /// that the chain the server presented is kept and its length reported; nil: `tlsContext` without the chain.
    var chainTLSContext: NIOSSLContext? = nil
    /// Delivers a scan event to the caller's stream.
    var emit: @Sendable (ScanEvent) -> Void
    /// Per-host RTT estimates and start times, shared by the whole scan.
    var timings = HostTimings()
    /// `--rate`: paces new connections; nil for no limit.
    var rateLimiter: ConnectionRateLimiter?
    /// `-c N`: bounds the connections open in the whole scan; nil for no limit.
    var connectionLimiter: ConnectionLimiter?
    /// `--max-per-host`: bounds endpoints per host in flight; nil for no limit.
    var hostLimiter: HostConcurrencyLimiter?
    /// Counts the response bytes connections hold (the byte cap's promise, measured).
    var responseMemory: ResponseMemoryGauge?
    /// The ONC RPC programs the RPC pass asks for, in the database's order.
    var rpcPrograms: [RPCProgram] = []
    /// Where a connection reports that the proxy itself failed (the scan then stops); nil without a proxy.
    var proxyFaults: ProxyFaultLatch?

    /// The wait for `probe` on `endpoint`'s host: the configured one with fixed timing, else adaptive from the
    /// host's smoothed RTT.
    ///
    /// `unknownRTT` stands for the smoothed RTT before the host has any sample (nil: the ceiling). UDP passes 0:
    /// a UDP port that has said nothing gives no sample, and its first round has the promised wait anyway.
    func waitMilliseconds(for probe: Probe, on endpoint: Endpoint, unknownRTT: Double? = nil) async -> Int {
        guard let profile = configuration.timingProfile(for: endpoint.address) else {
            return configuration.waitMilliseconds(for: probe)
        }
        let waits = AdaptiveWaits(
            profile: profile, bannerCeilingMilliseconds: configuration.bannerWaitMilliseconds,
            responseCeilingMilliseconds: configuration.responseTimeoutMilliseconds)
        let srtt = await timings.smoothedRTT(for: endpoint.address) ?? unknownRTT
        return waits.waitMilliseconds(for: probe, smoothedRTT: srtt)
    }

    /// The instant after which no new probe starts on a port that began at `start`: the earlier of the per-port
    /// budget and the host timeout; nil when neither applies.
    func probingDeadline(for endpoint: Endpoint, portStart start: ContinuousClock.Instant) async
        -> ContinuousClock.Instant?
    {
        var deadline: ContinuousClock.Instant?
        // Under `-c N` a port spends much of its time waiting for a connection of the scan's few: the timing
        // profile's budget would then cut its probes short (a silent port under -c 1 got half of them), so only a
        // budget given explicitly applies.
        let profileBudget = configuration.connectionLimit == nil
            ? configuration.timingProfile(for: endpoint.address)?.portBudgetMilliseconds : nil
        let budget = configuration.portBudgetMilliseconds ?? profileBudget
        if let budget { deadline = start + .milliseconds(budget) }
        if let hostTimeout = configuration.hostTimeoutMilliseconds {
            let hostDeadline = await timings.start(of: endpoint.address) + .milliseconds(hostTimeout)
            deadline = min(deadline ?? hostDeadline, hostDeadline)
        }
        return deadline
    }
}

extension EngineContext {
    /// How long a probe keeps reading after an answer that names nothing (the rest of a multi-segment or
    /// multi-datagram answer): the host's adaptive wait (the profile's floor before any RTT sample), at most `-t`;
    /// with fixed timing, at most a second.
    func answerGraceMilliseconds(on endpoint: Endpoint) async -> Int {
        let ceiling = configuration.responseTimeoutMilliseconds
        guard let profile = configuration.timingProfile(for: endpoint.address) else {
            return min(ceiling, Self.fixedGraceMilliseconds)
        }
        guard let srtt = await timings.smoothedRTT(for: endpoint.address) else {
            return min(ceiling, profile.floorMilliseconds)
        }
        return AdaptiveWaits.clamp(profile.rttMultiplier * srtt + Double(profile.marginMilliseconds),
                                   floor: profile.floorMilliseconds, ceiling: ceiling)
    }

    /// The answer grace with fixed timing.
    static let fixedGraceMilliseconds = 1_000
}
