/// The literal bytes every match of an anchored pattern must start with, read off the pattern's source, so a
/// response can be rejected by comparing a few bytes instead of running the regex.
///
/// Only the safe cases are read: the pattern starts with `^`, is compiled without MULTILINE (where `^` would also
/// match after a line break), and has no `|` outside parentheses (an alternative could start differently). Literals
/// are read until the first metacharacter; a literal followed by `?`, `*` or `{` is optional and dropped. Caseless
/// patterns compare ASCII letters without case, as PCRE2's caseless mode does in non-UTF mode.
public struct LiteralPrefix: Sendable, Hashable {
    /// The prefix, ASCII letters lowercased when `caseless`.
    public let bytes: [UInt8]
    /// True when letters compare without case.
    public let caseless: Bool

    /// The longest prefix read (more only costs comparisons; the first bytes do the rejecting).
    static let maximumLength = 16

    /// Creates a prefix (letters are lowercased when `caseless`).
    public init(bytes: [UInt8], caseless: Bool) {
        self.bytes = caseless ? bytes.map(Self.lower) : bytes
        self.caseless = caseless
    }

    /// The prefix of `pattern`, nil when none can be read safely.
    public static func of(_ pattern: CompiledPattern) -> LiteralPrefix? {
        parse(pattern.source, options: pattern.options)
    }

    /// True when `subject` starts with the prefix (false only when the regex cannot match either).
    public func admits(_ subject: [UInt8]) -> Bool {
        guard subject.count >= bytes.count else { return false }
        if caseless {
            for index in bytes.indices where Self.lower(subject[index]) != bytes[index] { return false }
        } else {
            for index in bytes.indices where subject[index] != bytes[index] { return false }
        }
        return true
    }

    /// The first-byte values a subject may start with: one, or both cases of a letter.
    var firstBytes: [UInt8] {
        guard let first = bytes.first else { return [] }
        guard caseless, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return [first] }
        return [first, first - 0x20]
    }

    /// Reads the prefix of a pattern source compiled with `options`; nil when none can be read safely.
    public static func parse(_ source: [UInt8], options: PatternOptions) -> LiteralPrefix? {
        guard !options.contains(.multiline), source.first == UInt8(ascii: "^"), !hasTopLevelAlternation(source)
        else { return nil }
        var literals: [UInt8] = []
        var index = 1
        while index < source.count, literals.count < maximumLength {
            guard let (byte, next) = literal(in: source, at: index) else { break }
            if next < source.count {
                let following = source[next]
                if following == UInt8(ascii: "?") || following == UInt8(ascii: "*") || following == UInt8(ascii: "{") {
                    break
                }
                if following == UInt8(ascii: "+") {
                    literals.append(byte)
                    break
                }
            }
            literals.append(byte)
            index = next
        }
        guard !literals.isEmpty else { return nil }
        return LiteralPrefix(bytes: literals, caseless: options.contains(.caseless))
    }

    /// The literal byte at `index` and the index after it, or nil at a metacharacter or an escape that is not a
    /// single literal byte.
    static func literal(in source: [UInt8], at index: Int) -> (UInt8, Int)? {
        let byte = source[index]
        if metacharacters.contains(byte) { return nil }
        guard byte == UInt8(ascii: "\\") else { return (byte, index + 1) }
        guard index + 1 < source.count else { return nil }
        let escaped = source[index + 1]
        switch escaped {
        case UInt8(ascii: "x"):
            return hexEscape(in: source, at: index + 2)
        case UInt8(ascii: "0"):
            var value = 0
            var next = index + 2
            while next < source.count, next < index + 4, (0x30...0x37).contains(source[next]) {
                value = value * 8 + Int(source[next] - 0x30)
                next += 1
            }
            return (UInt8(value), next)
        case UInt8(ascii: "r"): return (0x0D, index + 2)
        case UInt8(ascii: "n"): return (0x0A, index + 2)
        case UInt8(ascii: "t"): return (0x09, index + 2)
        case UInt8(ascii: "f"): return (0x0C, index + 2)
        case UInt8(ascii: "e"): return (0x1B, index + 2)
        case UInt8(ascii: "a"): return (0x07, index + 2)
        default:
            // An escaped non-alphanumeric byte is that byte; letters and digits are classes, anchors or
            // back-references.
            let isAlphanumeric = (0x30...0x39).contains(escaped) || (0x41...0x5A).contains(escaped)
                || (0x61...0x7A).contains(escaped)
            return isAlphanumeric || escaped >= 0x80 ? nil : (escaped, index + 2)
        }
    }

    private static func hexEscape(in source: [UInt8], at start: Int) -> (UInt8, Int)? {
        if start < source.count, source[start] == UInt8(ascii: "{") {
            guard let close = source[start...].firstIndex(of: UInt8(ascii: "}")),
                let value = UInt32(String(decoding: source[(start + 1)..<close], as: UTF8.self), radix: 16),
                value <= 0xFF
            else { return nil }
            return (UInt8(value), close + 1)
        }
        var value = 0
        var next = start
        while next < source.count, next < start + 2, let digit = hexValue(source[next]) {
            value = value * 16 + digit
            next += 1
        }
        return (UInt8(value), next)
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// True when `|` appears outside every group (escapes and character classes skipped), or when the source uses
    /// `\Q…\E` quoting, which this reader does not follow.
    static func hasTopLevelAlternation(_ source: [UInt8]) -> Bool {
        var depth = 0
        var index = 0
        var inClass = false
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "\\") {
                if index + 1 < source.count, source[index + 1] == UInt8(ascii: "Q") { return true }
                index += 2
                continue
            }
            if inClass {
                if byte == UInt8(ascii: "["), index + 1 < source.count, source[index + 1] == UInt8(ascii: ":") {
                    // A POSIX class like [:alpha:] inside a bracket expression.
                    var close = index + 2
                    while close + 1 < source.count,
                        !(source[close] == UInt8(ascii: ":") && source[close + 1] == UInt8(ascii: "]"))
                    {
                        close += 1
                    }
                    index = close + 2
                    continue
                }
                if byte == UInt8(ascii: "]") { inClass = false }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "["):
                inClass = true
                // A `]` right after `[` or `[^` is a literal member.
                var next = index + 1
                if next < source.count, source[next] == UInt8(ascii: "^") { next += 1 }
                if next < source.count, source[next] == UInt8(ascii: "]") { next += 1 }
                index = next
                continue
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth = max(0, depth - 1)
            case UInt8(ascii: "|") where depth == 0: return true
            default: break
            }
            index += 1
        }
        return false
    }

    private static let metacharacters: Set<UInt8> = Set(".[]()*+?{}|^$".utf8)

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
    }
}
