/// The user's choices about which probes go out and when a port is done.
public struct ProbeSelection: Sendable, Hashable {
    /// nmap `--version-intensity` 0…9: probes with a higher rarity are skipped (unless port-listed).
    public var intensity: Int
    /// amap `-H`: skip probes flagged harmful.
    public var skipHarmful: Bool
    /// amap `-p NAME`: send only probes of this name or amap alias (case-sensitive, as amap).
    public var onlyProbeNamed: String?
    /// amap `-1`: stop sending probes to a port once it has an identification.
    public var stopAtFirstIdentification: Bool

    /// Creates a selection.
    public init(
        intensity: Int = ProbeSelection.defaultIntensity,
        skipHarmful: Bool = false,
        onlyProbeNamed: String? = nil,
        stopAtFirstIdentification: Bool = false
    ) {
        self.intensity = intensity
        self.skipHarmful = skipHarmful
        self.onlyProbeNamed = onlyProbeNamed
        self.stopAtFirstIdentification = stopAtFirstIdentification
    }

    /// nmap's default version intensity.
    public static let defaultIntensity = 7
}
