/// Bounds on the work one regex match may do, so a pattern that would backtrack forever costs milliseconds.
///
/// Hitting a limit counts as no match, as in nmap.
public struct MatchLimits: Sendable, Hashable {
    /// PCRE2 match limit: calls of the internal match function.
    public var matchLimit: UInt32
    /// PCRE2 depth limit: nesting of backtracking points.
    public var depthLimit: UInt32
    /// PCRE2 heap limit in KiB.
    public var heapLimitKiB: UInt32

    /// Creates limits.
    public init(matchLimit: UInt32, depthLimit: UInt32, heapLimitKiB: UInt32) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        self.heapLimitKiB = heapLimitKiB
    }

    /// nmap's values (service_scan.cc): 50,000 steps, depth 1,000, 10 MiB of heap.
    public static let nmap = MatchLimits(matchLimit: 50_000, depthLimit: 1_000, heapLimitKiB: 10 * 1024)
}
