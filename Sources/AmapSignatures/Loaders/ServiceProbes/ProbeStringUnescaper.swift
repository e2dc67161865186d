/// Undoes the C-style escapes of nmap probe strings (`q|…|`) and of `$SUBST()` arguments.
///
/// Current nmap accepts `\\`, `\0`, `\n`, `\r`, `\t` and `\xHH`; older releases also took `\a \b \f \v` and let an
/// escaped non-alphanumeric byte stand for itself. Both of those are accepted here with a warning, so files written
/// for either release load. An escaped letter or digit outside that set is an error, as in every release.
enum ProbeStringUnescaper {
    /// A problem at a byte offset of the escaped text.
    struct Problem: Error, Sendable, Hashable {
        /// 0-based offset of the backslash in the escaped text.
        var offset: Int
        /// What is wrong and what was expected.
        var message: String
    }

    /// The unescaped bytes and any warnings about legacy escapes.
    struct Output: Sendable, Hashable {
        /// The bytes the text stands for.
        var bytes: [UInt8]
        /// Escapes that only older nmap releases accept.
        var warnings: [Problem]
    }

    /// Unescapes `text`; throws the first escape that no nmap release accepts.
    static func unescape<C: Collection>(_ text: C) throws(Problem) -> Output where C.Element == UInt8 {
        let input = Array(text)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var warnings: [Problem] = []
        var index = 0
        while index < input.count {
            let byte = input[index]
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                index += 1
                continue
            }
            guard index + 1 < input.count else {
                throw Problem(offset: index, message: "a backslash ends the string; write '\\\\' for a backslash")
            }
            let escaped = input[index + 1]
            switch escaped {
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            // `\0` is always exactly one NUL: a digit after it is literal, unlike in C or PCRE.
            case UInt8(ascii: "0"): bytes.append(0x00)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "x"):
                guard index + 3 < input.count, let high = hexValue(input[index + 2]),
                    let low = hexValue(input[index + 3])
                else {
                    throw Problem(offset: index, message: "'\\x' must be followed by exactly two hex digits")
                }
                bytes.append(high << 4 | low)
                index += 4
                continue
            case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "v"):
                bytes.append(legacyControl[escaped] ?? escaped)
                warnings.append(
                    Problem(offset: index, message: "'\\\(Character(Unicode.Scalar(escaped)))' is accepted only by "
                        + "older nmap releases; write it as '\\x\(hex(legacyControl[escaped] ?? 0))'"))
            default:
                if isAlphanumeric(escaped) {
                    throw Problem(
                        offset: index,
                        message: "unknown escape '\\\(Character(Unicode.Scalar(escaped)))'; "
                            + "expected \\\\, \\0, \\n, \\r, \\t or \\xHH")
                }
                bytes.append(escaped)
                warnings.append(
                    Problem(offset: index, message: "an escaped punctuation byte is accepted only by older nmap "
                        + "releases; write it as \\x\(hex(escaped))"))
            }
            index += 2
        }
        return Output(bytes: bytes, warnings: warnings)
    }

    private static let legacyControl: [UInt8: UInt8] = [
        UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "v"): 0x0B,
    ]

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
