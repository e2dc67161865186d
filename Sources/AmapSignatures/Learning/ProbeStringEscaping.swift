/// Writes bytes as an nmap probe string (the text between the delimiters of `q|…|`), the inverse of the loader's
/// unescaping.
///
/// Printable ASCII stands for itself, except the backslash (`\\`) and the `|` delimiter, which nmap does not let
/// be escaped and is therefore written `\x7c`. CR, LF, TAB and NUL use `\r`, `\n`, `\t` and `\0` (nmap reads `\0`
/// as exactly one NUL even before a digit); every other byte is `\xHH`.
public enum ProbeStringEscaping {
    /// The probe-string text for `bytes`.
    public static func escape(_ bytes: [UInt8]) -> String {
        var text = ""
        text.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "|"): text += "\\x7c"
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n"
            case 0x09: text += "\\t"
            case 0x00: text += "\\0"
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += LearningHex.escape(byte)
            }
        }
        return text
    }
}

/// `\xHH` with lowercase hex digits.
enum LearningHex {
    static func escape(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
