import AmapModel

/// Every (host, port, transport) a scan visits, enumerated lazily with 64-bit random access.
///
/// A job is made of target groups (each target × its group's ports) followed by explicit
/// endpoints (from an importer). Its natural order is: groups in order, targets in order,
/// addresses ascending, then each address's TCP ports ascending and UDP ports ascending — the
/// order amap walks its target list. Nothing is materialised: a /16 times 65535 ports is
/// 4.3 billion endpoints computed on demand from a few small arrays.
///
/// Host names stay names in the endpoints (`address == host`); the engine resolves them.
public struct ScanJob: Sendable {
    private enum Part: Sendable {
        case grid(TargetSpec, PortIndex)
        case list([Endpoint])

        var count: UInt64? {
            switch self {
            case .grid(let target, let ports):
                let (product, overflow) = target.addressCount.multipliedReportingOverflow(by: UInt64(ports.count))
                return overflow ? nil : product
            case .list(let endpoints):
                return UInt64(endpoints.count)
            }
        }
    }

    /// The groups the job was built from.
    public let groups: [TargetGroup]
    /// The explicit endpoints the job was built from, duplicates removed.
    public let listedEndpoints: [Endpoint]
    /// The number of endpoints.
    public let count: UInt64
    private let parts: [Part]
    private let starts: [UInt64]

    /// Builds a job from target groups and explicit endpoints (for example from an importer).
    /// Exact duplicates among `endpoints` are dropped, keeping the first; grids are not
    /// de-duplicated against each other (that would mean materialising them).
    public init(groups: [TargetGroup] = [], endpoints: [Endpoint] = []) throws(TargetSpecError) {
        var seen = Set<Endpoint>()
        let unique = endpoints.filter { seen.insert($0).inserted }
        var parts: [Part] = []
        for group in groups {
            let ports = PortIndex(group.ports)
            guard ports.count > 0 else { continue }
            for target in group.targets { parts.append(.grid(target, ports)) }
        }
        if !unique.isEmpty { parts.append(.list(unique)) }
        var starts: [UInt64] = []
        var total: UInt64 = 0
        for part in parts {
            starts.append(total)
            guard let partCount = part.count else { throw .jobTooLarge }
            let (sum, overflow) = total.addingReportingOverflow(partCount)
            guard !overflow else { throw .jobTooLarge }
            total = sum
        }
        self.groups = groups
        self.listedEndpoints = unique
        self.parts = parts
        self.starts = starts
        self.count = total
    }

    /// The endpoint at `index` (0 ..< count) in natural order.
    public func endpoint(at index: UInt64) -> Endpoint {
        precondition(index < count, "index \(index) outside 0..<\(count)")
        var low = 0
        var high = parts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= index { low = middle } else { high = middle - 1 }
        }
        let offset = index - starts[low]
        switch parts[low] {
        case .grid(let target, let ports):
            let portCount = UInt64(ports.count)
            let (port, transport) = ports[Int(offset % portCount)]
            let host = target.host(at: offset / portCount)
            return Endpoint(host: host, port: port, transport: transport)
        case .list(let endpoints):
            return endpoints[Int(offset)]
        }
    }

    /// Every endpoint in natural order, lazily (an address is formatted once for all its ports).
    public var endpoints: Endpoints { Endpoints(job: self) }

    /// The endpoints of one shard, in a seeded pseudo-random order.
    ///
    /// The job's indices are permuted by ``IndexPermutation`` with `seed`; shard i of N takes the
    /// permuted positions i-1, i-1+N, i-1+2N, … So the N shards are disjoint, together hold the
    /// whole job exactly once, differ in size by at most one, and each spreads over all targets.
    /// Every shard must be run with the same targets, ports and seed. ``Shard/whole`` gives the
    /// whole job in shuffled order.
    public func endpoints(in shard: Shard, seed: UInt64) -> ShardedEndpoints {
        ShardedEndpoints(job: self, shard: shard, permutation: IndexPermutation(count: count, seed: seed))
    }

    /// The endpoints of a job in natural order.
    public struct Endpoints: Sequence, Sendable {
        let job: ScanJob

        /// The number of endpoints.
        public var underestimatedCount: Int { Int(clamping: job.count) }

        /// Starts at the first endpoint.
        public func makeIterator() -> Iterator { Iterator(job: job) }

        /// Walks the parts, addresses and ports.
        public struct Iterator: IteratorProtocol {
            private let job: ScanJob
            private var partIndex = 0
            private var addressIndex: UInt64 = 0
            private var portPosition = 0
            private var host: String?

            init(job: ScanJob) { self.job = job }

            /// The next endpoint, or nil at the end.
            public mutating func next() -> Endpoint? {
                while partIndex < job.parts.count {
                    switch job.parts[partIndex] {
                    case .grid(let target, let ports):
                        if portPosition == ports.count {
                            portPosition = 0
                            addressIndex += 1
                            host = nil
                        }
                        if addressIndex < target.addressCount {
                            let currentHost = host ?? target.host(at: addressIndex)
                            host = currentHost
                            let (port, transport) = ports[portPosition]
                            portPosition += 1
                            return Endpoint(host: currentHost, port: port, transport: transport)
                        }
                    case .list(let endpoints):
                        if addressIndex < UInt64(endpoints.count) {
                            addressIndex += 1
                            return endpoints[Int(addressIndex - 1)]
                        }
                    }
                    partIndex += 1
                    addressIndex = 0
                    portPosition = 0
                    host = nil
                }
                return nil
            }
        }
    }
}

/// The endpoints of one shard of a ``ScanJob``, computed lazily.
public struct ShardedEndpoints: Sequence, Sendable {
    let job: ScanJob
    /// The shard.
    public let shard: Shard
    let permutation: IndexPermutation

    /// The number of endpoints in this shard: positions `i-1, i-1+N, …` below the job's count.
    public var count: UInt64 {
        let first = UInt64(shard.index - 1)
        guard job.count > first else { return 0 }
        return (job.count - first - 1) / UInt64(shard.count) + 1
    }

    /// The shard's size, clamped to `Int`.
    public var underestimatedCount: Int { Int(clamping: count) }

    /// Starts at the shard's first position.
    public func makeIterator() -> Iterator { Iterator(sequence: self) }

    /// Steps through the shard's positions.
    public struct Iterator: IteratorProtocol {
        private let sequence: ShardedEndpoints
        private var position: UInt64
        private var finished = false

        init(sequence: ShardedEndpoints) {
            self.sequence = sequence
            position = UInt64(sequence.shard.index - 1)
        }

        /// The next endpoint of the shard, or nil at the end.
        public mutating func next() -> Endpoint? {
            guard !finished, position < sequence.job.count else { return nil }
            let endpoint = sequence.job.endpoint(at: sequence.permutation(position))
            let (nextPosition, overflow) = position.addingReportingOverflow(UInt64(sequence.shard.count))
            if overflow { finished = true } else { position = nextPosition }
            return endpoint
        }
    }
}
