/// amap's two renderings of a response: the PRINTABLE banner and the FULL banner.
///
/// Both are pure ASCII by construction, so they are terminal-safe without further escaping.
public enum AmapBanner {
    /// The most characters a PRINTABLE banner holds (amap 5.4 stops at about 253; reference §6).
    public static let printableLimit = 253

    /// The PRINTABLE banner (used by `-b`, banner mode and the 7th `-m` field): `:` and every byte that
    /// is neither printable ASCII nor whitespace are dropped; `\n \r \t \v \f` are written as those
    /// two-character escapes and `\` as `\\`; the text is cut at ``printableLimit`` characters without
    /// splitting an escape.
    public static func printable(_ bytes: [UInt8]) -> String {
        var output = ""
        var count = 0
        for byte in bytes {
            let piece: String
            switch byte {
            case UInt8(ascii: ":"): continue
            case UInt8(ascii: "\\"): piece = "\\\\"
            case 0x0A: piece = "\\n"
            case 0x0D: piece = "\\r"
            case 0x09: piece = "\\t"
            case 0x0B: piece = "\\v"
            case 0x0C: piece = "\\f"
            case 0x20...0x7E: piece = String(UnicodeScalar(byte))
            default: continue
            }
            if count + piece.count > printableLimit { break }
            output += piece
            count += piece.count
        }
        return output
    }

    /// The FULL banner (8th `-m` field): when any byte is neither printable ASCII nor whitespace, `0x`
    /// followed by the lower-case hex of every byte; otherwise the text in double quotes with
    /// `\n \r \t \v \f \\` escaped (`:` and `"` are not, as in amap). Empty input gives an empty field.
    public static func full(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        let isText = bytes.allSatisfy { (0x20...0x7E).contains($0) || (0x09...0x0D).contains($0) }
        guard isText else { return "0x" + Hex.string(bytes) }
        var output = "\""
        for byte in bytes {
            switch byte {
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x0B: output += "\\v"
            case 0x0C: output += "\\f"
            case UInt8(ascii: "\\"): output += "\\\\"
            default: output.unicodeScalars.append(UnicodeScalar(byte))
            }
        }
        return output + "\""
    }
}
