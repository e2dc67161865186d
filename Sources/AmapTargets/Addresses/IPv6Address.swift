/// An IPv6 address held as two 64-bit halves, parsed from RFC 4291 text and printed per RFC 5952.
public struct IPv6Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The upper 64 bits (network half).
    public var high: UInt64
    /// The lower 64 bits (interface half).
    public var low: UInt64

    /// Wraps two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses RFC 4291 §2.2 text: eight hex groups, one `::`, and an optional trailing dotted IPv4.
    /// No brackets, prefix or zone: callers strip those first.
    public init?(parsing text: Substring) {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        let head: Substring
        let tail: Substring?
        if let gap = text.range(of: "::") {
            head = text[..<gap.lowerBound]
            tail = text[gap.upperBound...]
            if tail?.contains("::") == true { return nil }
        } else {
            head = text
            tail = nil
        }
        guard let headGroups = Self.groups(head, allowTrailingIPv4: tail == nil) else { return nil }
        var groups = headGroups
        if let tail {
            guard let tailGroups = Self.groups(tail, allowTrailingIPv4: true) else { return nil }
            // `::` stands for at least one zero group (RFC 4291 §2.2 item 2).
            guard groups.count + tailGroups.count <= 7 else { return nil }
            groups += Array(repeating: 0, count: 8 - groups.count - tailGroups.count) + tailGroups
        }
        guard groups.count == 8 else { return nil }
        high = groups[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
        low = groups[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
    }

    /// Parses IPv6 text; see ``init(parsing:)-(Substring)``.
    public init?(parsing text: String) { self.init(parsing: text[...]) }

    /// The 16-bit groups of one side of `::` (empty text is zero groups).
    private static func groups(_ text: Substring, allowTrailingIPv4: Bool) -> [UInt16]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, allowTrailingIPv4, part.contains(".") {
                guard let v4 = IPv4Address(parsing: part) else { return nil }
                groups.append(UInt16(v4.value >> 16))
                groups.append(UInt16(truncatingIfNeeded: v4.value))
                continue
            }
            guard (1...4).contains(part.utf8.count), part.allSatisfy(\.isHexDigit),
                let group = UInt16(part, radix: 16)
            else { return nil }
            groups.append(group)
        }
        return groups
    }

    /// The eight 16-bit groups, most significant first.
    public var groups: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * $0)) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * $0)) }
    }

    /// RFC 5952 text: lower case, the longest run of two or more zero groups as `::` (the first
    /// one on a tie), and IPv4-mapped addresses as `::ffff:a.b.c.d` (RFC 5952 §5).
    public var description: String {
        if high == 0, low >> 32 == 0xFFFF {
            return "::ffff:\(IPv4Address(UInt32(truncatingIfNeeded: low)))"
        }
        let groups = self.groups
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    /// Orders by numeric value.
    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
