/// String escaping for JSON (RFC 8259 §7), stricter than the RFC requires so the output is also safe
/// to print: besides `"`, `\` and C0 controls, DEL, C1 controls, bidirectional controls and
/// U+2028/U+2029 are written as `\uXXXX`. The result is always valid UTF-8.
public enum JSONEscaping {
    /// The JSON string literal for `text`, including the surrounding quotes.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        output.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if UnsafeScalars.mustEscape(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
        return output
    }

    /// Text for raw bytes that is fit for a JSON string: the terminal escaping of
    /// ``TerminalEscaping/escape(bytes:)``, so an invalid byte becomes the four characters `\xHH` (never
    /// `\u00XX`, which would claim the byte was the character U+00XX) and `\` is doubled.
    public static func text(fromBytes bytes: [UInt8]) -> String {
        TerminalEscaping.escape(bytes: bytes)
    }
}
