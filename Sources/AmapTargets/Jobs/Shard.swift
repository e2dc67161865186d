/// One of N disjoint slices of a scan job (`--shard i/N`), numbered from 1 as in zmap.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// The slice number, 1...count.
    public let index: Int
    /// The number of slices.
    public let count: Int

    /// The whole job as a single shard.
    public static let whole = Shard(uncheckedIndex: 1, count: 1)

    private init(uncheckedIndex: Int, count: Int) {
        self.index = uncheckedIndex
        self.count = count
    }

    /// Shard `index` of `count`; `index` must be in 1...count.
    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1 else { throw .zeroCount(text: "\(index)/\(count)") }
        guard (1...count).contains(index) else { throw .indexOutOfRange(index: index, count: count) }
        self.init(uncheckedIndex: index, count: count)
    }

    /// Parses `i/N`.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 9 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let index = Int(parts[0]), let count = Int(parts[1])
        else { throw .malformed(text: text) }
        try self.init(index: index, count: count)
    }

    /// `i/N`.
    public var description: String { "\(index)/\(count)" }
}

/// Why a shard specification was refused.
public enum ShardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not of the form `i/N`.
    case malformed(text: String)
    /// N is zero.
    case zeroCount(text: String)
    /// i is not in 1...N.
    case indexOutOfRange(index: Int, count: Int)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .malformed(let text):
            return "invalid shard '\(text)': write i/N, for example 1/4 for the first of four shards"
        case .zeroCount(let text):
            return "invalid shard '\(text)': the number of shards must be at least 1"
        case .indexOutOfRange(let index, let count):
            return "invalid shard '\(index)/\(count)': the shard number must be between 1 and \(count)"
        }
    }
}
