/// Compile options for a signature's regex.
public struct PatternOptions: OptionSet, Sendable, Hashable {
    /// The raw option bits.
    public let rawValue: UInt8
    /// Creates options from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Caseless matching (nmap flag `i`), ASCII letters only.
    public static let caseless = PatternOptions(rawValue: 1 << 0)
    /// `.` matches every byte including `\n` (nmap flag `s`).
    public static let dotAll = PatternOptions(rawValue: 1 << 1)
    /// `^` and `$` also match at line breaks (amap always sets this).
    public static let multiline = PatternOptions(rawValue: 1 << 2)

    /// The options amap 5.4 compiles every response pattern with.
    public static let amap: PatternOptions = [.caseless, .dotAll, .multiline]

    var pcre2Bits: UInt32 {
        var bits: UInt32 = 0
        if contains(.caseless) { bits |= PCRE2Constant.caseless }
        if contains(.dotAll) { bits |= PCRE2Constant.dotAll }
        if contains(.multiline) { bits |= PCRE2Constant.multiline }
        return bits
    }
}
