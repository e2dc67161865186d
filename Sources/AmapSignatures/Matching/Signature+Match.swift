extension Signature {
    /// The first match of the line's pattern in `response`, or nil. A match-limit hit counts as no match and is
    /// noted in ``RegexLimitLog/current``.
    func firstMatch(in response: [UInt8]) -> RegexMatch? {
        switch pattern.firstMatch(in: response) {
        case .matched(let match):
            return match
        case .noMatch:
            return nil
        case .limitExceeded:
            RegexLimitLog.current?.record(location)
            return nil
        }
    }
}
