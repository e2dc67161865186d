import AmapTargets

/// The order in which a job's endpoints are visited, and which of them.
public enum EndpointOrder: Sendable, Hashable {
    /// Every endpoint, in the job's natural order (targets in order, addresses and ports ascending), as amap does.
    case natural
    /// One shard of the job in a seeded pseudo-random order (``Shard/whole`` for the whole job shuffled).
    case sharded(Shard, seed: UInt64)

    /// The seed used when `--shard` is given without `--seed`.
    ///
    /// It is a constant, not a random or time-based value, so that N machines started with the same targets and
    /// `--shard i/N` agree on the split without sharing anything else. Its value is the ASCII bytes of "amap-shd"
    /// read as a big-endian integer; changing it would make shards of different builds overlap.
    public static let defaultSeed: UInt64 = 0x616D_6170_2D73_6864

    /// `--shard` and `--seed` as given on a command line: neither keeps the natural order; a seed alone shuffles the
    /// whole job; a shard without a seed uses ``defaultSeed``.
    public init(shard: Shard?, seed: UInt64?) {
        switch (shard, seed) {
        case (nil, nil): self = .natural
        case (let shard, let seed): self = .sharded(shard ?? .whole, seed: seed ?? Self.defaultSeed)
        }
    }
}
