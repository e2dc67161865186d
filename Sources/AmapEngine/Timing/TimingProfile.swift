/// The constants that turn a measured round-trip time into probe waits.
///
/// A wait is `clamp(rttMultiplier × srtt + margin, floor, ceiling)`: the multiplier covers jitter and queueing that
/// grow with distance, the margin covers the server's own think time (a daemon forking, a database checking a
/// packet), and the floor keeps a near-zero loopback RTT from producing waits no real daemon can meet. The ceiling
/// is the user's `-t` (and the probe's own `totalwaitms`), so adaptive waits are never longer than fixed ones.
public struct TimingProfile: Sendable, Hashable {
    /// The profile's name, as given to `--timing`.
    public var name: String
    /// k in `k × srtt + margin`.
    public var rttMultiplier: Double
    /// Added to every probe wait (milliseconds).
    public var marginMilliseconds: Int
    /// The shortest probe wait (milliseconds).
    public var floorMilliseconds: Int
    /// The shortest banner (NULL probe) wait (milliseconds); longer than a probe's because greeters may look up
    /// the client's name before they speak, and a missed banner costs a probe round.
    public var bannerFloorMilliseconds: Int
    /// The longest a port may be probed before no new probe is started (milliseconds).
    public var portBudgetMilliseconds: Int

    /// Creates a profile.
    public init(
        name: String, rttMultiplier: Double, marginMilliseconds: Int, floorMilliseconds: Int,
        bannerFloorMilliseconds: Int, portBudgetMilliseconds: Int
    ) {
        self.name = name
        self.rttMultiplier = rttMultiplier
        self.marginMilliseconds = marginMilliseconds
        self.floorMilliseconds = floorMilliseconds
        self.bannerFloorMilliseconds = bannerFloorMilliseconds
        self.portBudgetMilliseconds = portBudgetMilliseconds
    }

    /// Loopback and LAN: RTTs well under a millisecond. The floor (250 ms) is about 50× the slowest first-byte time
    /// measured for the client-first test daemons here (PostgreSQL, slapd, squid answered within 5 ms on loopback);
    /// the banner floor (500 ms) covers greeters that do a reverse lookup first.
    public static let lan = TimingProfile(
        name: "lan", rttMultiplier: 8, marginMilliseconds: 100, floorMilliseconds: 250, bannerFloorMilliseconds: 500,
        portBudgetMilliseconds: 30_000)

    /// Internet: tens to hundreds of milliseconds of RTT with jitter; the waits start near nmap's RTT-scaled
    /// timeouts (nmap's own minimum probe timeout is 100 ms, but service probes wait seconds).
    public static let internet = TimingProfile(
        name: "internet", rttMultiplier: 4, marginMilliseconds: 500, floorMilliseconds: 1_000,
        bannerFloorMilliseconds: 2_000, portBudgetMilliseconds: 120_000)

    /// The profile named `name` (`lan`, `internet`), or nil.
    public static func named(_ name: String) -> TimingProfile? {
        switch name.lowercased() {
        case "lan", "loopback", "local": .lan
        case "internet", "wan", "remote": .internet
        default: nil
        }
    }
}
