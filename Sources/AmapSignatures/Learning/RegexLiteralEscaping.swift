/// Writes bytes as a PCRE pattern that matches exactly those bytes, safe inside an nmap `m|…|` match.
///
/// Letters, digits, space and harmless punctuation stand for themselves; PCRE's metacharacters are escaped with a
/// backslash; the `|` delimiter (which nmap's grammar cannot escape) and every non-printable byte are `\xHH`, with
/// `\r`, `\n` and `\t` for the usual controls.
public enum RegexLiteralEscaping {
    /// Bytes that have a meaning in a PCRE pattern outside a character class.
    static let metacharacters = Set("\\^$.?*+()[]{}".utf8)

    /// The pattern text for `bytes`.
    public static func escape(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "|"): text += "\\x7c"
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n"
            case 0x09: text += "\\t"
            case _ where metacharacters.contains(byte): text += "\\" + String(Unicode.Scalar(byte))
            // `#` starts a comment only under the x flag, which learned patterns never carry.
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default: text += LearningHex.escape(byte)
            }
        }
        return text
    }
}
