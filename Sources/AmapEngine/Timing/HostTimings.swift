/// Per-host round-trip estimates and deadlines, shared by every task of a scan.
actor HostTimings {
    private var estimators: [String: RoundTripEstimator] = [:]
    private var firstSeen: [String: ContinuousClock.Instant] = [:]

    /// Records one RTT sample for the host at `address`.
    func add(_ sample: Duration, for address: String) {
        estimators[address, default: RoundTripEstimator()].add(milliseconds: Self.milliseconds(sample))
    }

    /// The host's smoothed RTT in milliseconds, nil before any sample.
    func smoothedRTT(for address: String) -> Double? {
        estimators[address]?.smoothedMilliseconds
    }

    /// When the host's first port started (recorded at the first call).
    func start(of address: String) -> ContinuousClock.Instant {
        if let instant = firstSeen[address] { return instant }
        let now = ContinuousClock.now
        firstSeen[address] = now
        return now
    }

    /// A duration in (fractional) milliseconds.
    static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1_000 + Double(parts.attoseconds) / 1e15
    }
}
