/// amap's hex dump of a response, row for row.
///
/// Each row: the offset as at least four lower-case hex digits and `:`, two spaces, the bytes as
/// 2-byte groups (`3232 3020 …`, each group followed by a space), padding so a short last row lines up,
/// then `   [ `, the 16 bytes as printable ASCII or `.`, padded with spaces, and ` ]`.
public enum HexDump {
    /// Bytes per row.
    public static let rowWidth = 16

    /// The dump's rows, without line terminators. Empty input gives no rows.
    public static func rows(_ bytes: [UInt8]) -> [String] {
        stride(from: 0, to: bytes.count, by: rowWidth).map { start in
            row(offset: start, bytes: bytes[start..<min(start + rowWidth, bytes.count)])
        }
    }

    /// The dump as text, one `\n`-terminated line per row.
    public static func text(_ bytes: [UInt8]) -> String {
        rows(bytes).map { $0 + "\n" }.joined()
    }

    private static func row(offset: Int, bytes: ArraySlice<UInt8>) -> String {
        let offsetHex = String(offset, radix: 16)
        var line = String(repeating: "0", count: max(0, 4 - offsetHex.count)) + offsetHex + ":  "
        var ascii = ""
        for (column, byte) in bytes.enumerated() {
            line += Hex.byte(byte)
            if column % 2 == 1 { line += " " }
            ascii.unicodeScalars.append((0x20...0x7E).contains(byte) ? UnicodeScalar(byte) : ".")
        }
        for column in bytes.count..<rowWidth {
            line += column % 2 == 1 ? "   " : "  "
            ascii += " "
        }
        return line + "   [ " + ascii + " ]"
    }
}
