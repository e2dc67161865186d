/// Makes text from the network safe to print on a terminal, reversibly.
///
/// Rules, applied to every string a service sent (banners, product, version, host names, certificate
/// fields) before it reaches the human output:
/// - `\` becomes `\\`, so every escape below is unambiguous;
/// - tab, line feed and carriage return become `\t`, `\n`, `\r`;
/// - every other C0 control, DEL and C1 control (U+0080–U+009F) becomes `\xHH`; ESC is `\x1b`, so an
///   escape sequence is printed as inert text;
/// - a byte that is not valid UTF-8 becomes `\xHH` (its value);
/// - bidirectional controls and U+2028/U+2029 become `\u{HHHH}`;
/// - every other valid character, ASCII or not, is kept.
public enum TerminalEscaping {
    /// Escapes a string (already valid Unicode).
    public static func escape(_ text: String) -> String {
        ScalarEscaper.escape(text, with: append)
    }

    /// Escapes raw bytes: valid UTF-8 is kept as text, invalid bytes are written `\xHH`.
    public static func escape(bytes: [UInt8]) -> String {
        ScalarEscaper.escape(bytes: bytes, with: append)
    }

    private static func append(_ scalar: Unicode.Scalar, to output: inout String) {
        switch scalar {
        case "\\": output += "\\\\"
        case "\t": output += "\\t"
        case "\n": output += "\\n"
        case "\r": output += "\\r"
        default:
            if UnsafeScalars.isControl(scalar) {
                output += "\\x" + Hex.byte(UInt8(scalar.value))
            } else if UnsafeScalars.isInvisibleFormatting(scalar) {
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
    }
}
