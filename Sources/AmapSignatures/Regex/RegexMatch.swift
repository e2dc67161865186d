/// One successful regex match: the byte ranges of the whole match and of each capture group.
public struct RegexMatch: Sendable, Hashable {
    /// `groups[0]` is the whole match; `groups[n]` capture group n, nil if it did not take part.
    public var groups: [Range<Int>?]

    /// Creates a match from group ranges.
    public init(groups: [Range<Int>?]) { self.groups = groups }

    /// The bytes of group `index` in `subject`, or nil if the group did not take part or does not exist.
    public func capture(_ index: Int, in subject: [UInt8]) -> [UInt8]? {
        guard index >= 0, index < groups.count, let range = groups[index] else { return nil }
        return Array(subject[range])
    }
}

/// The outcome of running a pattern over a subject.
public enum RegexOutcome: Sendable, Hashable {
    /// The pattern matched.
    case matched(RegexMatch)
    /// The pattern did not match.
    case noMatch
    /// A match, depth or heap limit was hit; the matchers treat it as no match and note the line in
    /// `RegexLimitLog.current`, which the engine turns into a note on the port.
    case limitExceeded
}
