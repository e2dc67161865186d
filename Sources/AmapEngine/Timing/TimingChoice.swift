/// How the engine chooses waits.
public enum TimingChoice: Sendable, Hashable {
    /// The configured waits, whatever the RTT (amap's behaviour).
    case fixed
    /// Adaptive waits with this profile for every host.
    case profile(TimingProfile)
    /// Adaptive waits: `lan` for loopback, private and link-local addresses, `internet` for the rest.
    case automatic

    /// The profile for a host at `address`; nil for fixed waits.
    public func profile(for address: String) -> TimingProfile? {
        switch self {
        case .fixed: nil
        case .profile(let profile): profile
        case .automatic: AddressScope.isLocal(address) ? .lan : .internet
        }
    }
}
