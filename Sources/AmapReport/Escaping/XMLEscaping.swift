/// Escaping for XML 1.0 text and attribute values (for the nmap-style XML report).
///
/// `&`, `<`, `>`, `"` and `'` become entities. XML 1.0 (§2.2) forbids most C0 controls even as
/// character references, so every control, DEL, C1 control and bidirectional control is written with
/// the terminal rules instead (`\x1b`, `\u{202E}`), and `\` is doubled to keep that unambiguous. The
/// non-characters U+FFFE and U+FFFF, which XML 1.0 also excludes, are written `\u{FFFE}`, `\u{FFFF}`.
public enum XMLEscaping {
    /// Escapes `text` for use inside an element or a quoted attribute value.
    public static func escape(_ text: String) -> String {
        ScalarEscaper.escape(text, with: append)
    }

    /// Escapes raw bytes: invalid UTF-8 as `\xHH`, everything else as ``escape(_:)`` does.
    public static func escape(bytes: [UInt8]) -> String {
        ScalarEscaper.escape(bytes: bytes, with: append)
    }

    private static func append(_ scalar: Unicode.Scalar, to output: inout String) {
        switch scalar {
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\"": output += "&quot;"
        case "'": output += "&apos;"
        default:
            if scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else if scalar == "\\" || UnsafeScalars.mustEscape(scalar) {
                output += TerminalEscaping.escape(String(scalar))
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
    }
}
