/// A set of port numbers kept as sorted, merged closed ranges (`22`, `80-89`, `8000-8080`).
public struct PortSet: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Sorted, non-overlapping, non-adjacent ranges.
    public private(set) var ranges: [ClosedRange<UInt16>]

    /// The empty set.
    public init() { ranges = [] }

    /// A set holding the given ranges (in any order, overlaps allowed).
    public init<S: Sequence>(ranges: S) where S.Element == ClosedRange<UInt16> {
        self.ranges = []
        for range in ranges { insert(range) }
    }

    /// A set holding the given ports.
    public init<S: Sequence>(ports: S) where S.Element == UInt16 {
        self.init(ranges: ports.map { $0...$0 })
    }

    /// True when no port is in the set.
    public var isEmpty: Bool { ranges.isEmpty }

    /// The number of ports in the set.
    public var count: Int { ranges.reduce(0) { $0 + Int($1.upperBound) - Int($1.lowerBound) + 1 } }

    /// Whether `port` is in the set (binary search over the ranges).
    public func contains(_ port: UInt16) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = ranges[mid]
            if port < range.lowerBound {
                high = mid - 1
            } else if port > range.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Adds a range, merging it with overlapping or adjacent ones.
    public mutating func insert(_ range: ClosedRange<UInt16>) {
        var lower = range.lowerBound
        var upper = range.upperBound
        var kept: [ClosedRange<UInt16>] = []
        kept.reserveCapacity(ranges.count + 1)
        var inserted = false
        for existing in ranges {
            if Int(existing.upperBound) + 1 < Int(lower) {
                kept.append(existing)
            } else if Int(upper) + 1 < Int(existing.lowerBound) {
                if !inserted {
                    kept.append(lower...upper)
                    inserted = true
                }
                kept.append(existing)
            } else {
                lower = min(lower, existing.lowerBound)
                upper = max(upper, existing.upperBound)
            }
        }
        if !inserted { kept.append(lower...upper) }
        ranges = kept
    }

    /// Adds every port of `other`.
    public mutating func formUnion(_ other: PortSet) {
        for range in other.ranges { insert(range) }
    }

    /// Every port, in ascending order.
    public var ports: some Sequence<UInt16> { ranges.lazy.flatMap { $0 } }

    /// `22,80-89`: the syntax of nmap's `ports` directive.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}
