/// A seeded, deterministic permutation of `0 ..< count` computed one index at a time, so a job
/// of billions of (address, port) pairs can be shuffled and sharded without being stored.
///
/// Construction: a balanced Feistel network over the smallest domain `2^(2h) >= count`, whose
/// round function is the SplitMix64 finalizer keyed per round from the seed, made to stay inside
/// `0 ..< count` by cycle walking (re-encrypt while the result is out of range). A Feistel network
/// is a bijection on its domain whatever the round function, and cycle walking keeps it a bijection
/// on the subrange (Black & Rogaway, "Ciphers with Arbitrary Finite Domains", 2002). The domain is
/// less than 4 × count, so a lookup takes under 4 walks on average.
///
/// This is not a cipher for secrecy: it only has to spread pairs evenly and be identical on every
/// machine, so it uses fixed-width integer arithmetic only (no platform hash).
public struct IndexPermutation: Sendable, Hashable {
    /// The size of the permuted range.
    public let count: UInt64
    /// The seed the round keys come from.
    public let seed: UInt64
    private let halfBits: UInt64
    private let halfMask: UInt64
    private let roundKeys: [UInt64]

    /// Six rounds: four already make a pseudo-random permutation (Luby–Rackoff); two more are cheap.
    static let rounds = 6

    /// A permutation of `0 ..< count` chosen by `seed`.
    public init(count: UInt64, seed: UInt64) {
        self.count = count
        self.seed = seed
        let bits = count <= 1 ? 0 : UInt64(64 - (count - 1).leadingZeroBitCount)
        halfBits = max(1, (bits + 1) / 2)
        halfMask = (UInt64(1) << halfBits) - 1
        roundKeys = (0..<Self.rounds).map { Self.mix(seed &+ UInt64($0 + 1) &* 0x9E37_79B9_7F4A_7C15) }
    }

    /// The SplitMix64 output function (Steele, Lea & Flood, "Fast splittable pseudorandom number
    /// generators", 2014): a 64-bit bijective mixer with good avalanche.
    static func mix(_ input: UInt64) -> UInt64 {
        var value = input
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    private func encrypt(_ input: UInt64) -> UInt64 {
        var left = input >> halfBits
        var right = input & halfMask
        for key in roundKeys {
            (left, right) = (right, left ^ (Self.mix(right &+ key) & halfMask))
        }
        return left << halfBits | right
    }

    /// The image of `index`, which must be in `0 ..< count`.
    public func callAsFunction(_ index: UInt64) -> UInt64 {
        precondition(index < count, "index \(index) outside 0..<\(count)")
        var value = encrypt(index)
        while value >= count { value = encrypt(value) }
        return value
    }
}
