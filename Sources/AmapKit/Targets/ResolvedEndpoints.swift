import AmapModel
import AmapSignatures
import AmapTargets

/// A job's endpoints in a chosen order, with host names replaced by the addresses resolved for them, produced
/// lazily: a `/16 × 1-65535` job is never held in memory, only its next endpoint is computed.
public struct ResolvedEndpoints: Sequence, Sendable {
    /// The job.
    public let job: ScanJob
    /// The address used for each host name of the job.
    public let resolved: [String: String]
    /// Which endpoints, in which order.
    public let order: EndpointOrder

    /// Wraps `job`; names found in `resolved` get its address, other hosts are used as they are.
    public init(job: ScanJob, resolved: [String: String] = [:], order: EndpointOrder = .natural) {
        self.job = job
        self.resolved = resolved
        self.order = order
    }

    /// The number of endpoints this sequence yields (the shard's size when sharded).
    public var count: UInt64 {
        switch order {
        case .natural: return job.count
        case .sharded(let shard, let seed): return job.endpoints(in: shard, seed: seed).count
        }
    }

    /// ``count`` clamped to `Int`.
    public var underestimatedCount: Int { Int(clamping: count) }

    /// Starts at the first endpoint of the chosen order.
    public func makeIterator() -> AnyIterator<Endpoint> {
        let resolved = self.resolved
        switch order {
        case .natural:
            var base = job.endpoints.makeIterator()
            return AnyIterator { base.next().map { Self.resolve($0, resolved) } }
        case .sharded(let shard, let seed):
            var base = job.endpoints(in: shard, seed: seed).makeIterator()
            return AnyIterator { base.next().map { Self.resolve($0, resolved) } }
        }
    }

    private static func resolve(_ endpoint: Endpoint, _ resolved: [String: String]) -> Endpoint {
        guard let address = resolved[endpoint.host] else { return endpoint }
        var copy = endpoint
        copy.address = address
        return copy
    }
}
