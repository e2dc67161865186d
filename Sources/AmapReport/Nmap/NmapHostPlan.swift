import AmapModel

/// How many endpoints each address has in a run, so that ``NmapXMLFormatter`` can write an address's `<host>`
/// element as soon as its last port has finished, instead of at the end of the run.
///
/// The CLI knows the job; the formatter only sees results. An address the plan does not know (or a run without
/// a plan) is still written, at the footer.
public struct NmapHostPlan: Sendable, Hashable {
    private let counts: [String: Int]

    /// A plan from explicit counts: numeric address → number of endpoints (ports × transports) it has in the run.
    public init(endpointCounts: [String: Int]) {
        counts = endpointCounts
    }

    /// Counts `endpoints` by address; nil when there are more than `limit` of them (the count would cost too much
    /// time and memory, and the formatter then writes every host at the footer).
    public init?<Endpoints: Sequence>(counting endpoints: Endpoints, limit: Int) where Endpoints.Element == Endpoint {
        var counts: [String: Int] = [:]
        var total = 0
        for endpoint in endpoints {
            total += 1
            if total > limit { return nil }
            counts[endpoint.address, default: 0] += 1
        }
        self.counts = counts
    }

    /// The number of endpoints `address` has in the run, nil when the plan does not know it.
    public func endpointCount(of address: String) -> Int? {
        counts[address]
    }

    /// The largest job counted by default: the same bound as an imported target list (2^20 endpoints). Counting that
    /// many took 1.1 s in a debug build here (127.0.0.0/16 × 16 ports, 65,536 addresses) and a few megabytes; a larger
    /// job writes its hosts at the footer.
    public static let defaultCountLimit = 1 << 20
}
