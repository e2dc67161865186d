import AmapSignatures

/// The wait for one probe, from the host's smoothed RTT, the timing profile and the configured ceilings.
///
/// `wait = clamp(k × srtt + margin, floor, ceiling)`, where the ceiling is the configured wait (`-t`, or the banner
/// wait for the NULL probe) and, when the probe has one, its own `totalwaitms`. A ceiling below the floor wins: the
/// user's `-t` is never exceeded.
public struct AdaptiveWaits: Sendable, Hashable {
    /// The profile's constants.
    public var profile: TimingProfile
    /// The configured banner ceiling (milliseconds).
    public var bannerCeilingMilliseconds: Int
    /// The configured response ceiling (milliseconds).
    public var responseCeilingMilliseconds: Int

    /// Creates the wait rule.
    public init(profile: TimingProfile, bannerCeilingMilliseconds: Int, responseCeilingMilliseconds: Int) {
        self.profile = profile
        self.bannerCeilingMilliseconds = bannerCeilingMilliseconds
        self.responseCeilingMilliseconds = responseCeilingMilliseconds
    }

    /// The wait for `probe` on a host whose smoothed RTT is `srtt` (nil: no sample yet, the ceiling is used).
    public func waitMilliseconds(for probe: Probe, smoothedRTT srtt: Double?) -> Int {
        var ceiling = probe.isNull ? bannerCeilingMilliseconds : responseCeilingMilliseconds
        if let own = probe.totalWaitMilliseconds { ceiling = min(ceiling, max(0, own)) }
        guard let srtt else { return ceiling }
        let floor = probe.isNull ? profile.bannerFloorMilliseconds : profile.floorMilliseconds
        return Self.clamp(profile.rttMultiplier * srtt + Double(profile.marginMilliseconds), floor: floor,
                          ceiling: ceiling)
    }

    /// `value` rounded up, at least `floor`, at most `ceiling` (the ceiling wins when they cross).
    static func clamp(_ value: Double, floor: Int, ceiling: Int) -> Int {
        let rounded = value.isFinite ? Int(min(value.rounded(.up), Double(Int32.max))) : ceiling
        return max(0, min(ceiling, max(floor, rounded)))
    }
}
