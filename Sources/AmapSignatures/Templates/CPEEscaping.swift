/// The transformation nmap applies to text substituted into a CPE template (`cpe:/a:$1:$2`).
///
/// Only substituted text is transformed; the template's literal text is kept as written. Each byte is:
/// percent-encoded (`%3A`, upper-case hex) if it is one of the characters CPE 2.2 section 5.4 reserves,
/// turned into `_` if it is ASCII whitespace, and otherwise lower-cased (ASCII letters only, as the C locale does).
enum CPEEscaping {
    /// The bytes CPE 2.2 §5.4 reserves, as nmap lists them.
    static let reserved: Set<UInt8> = Set(Array(":/?#[]@!$&'()*+,;=%<>\"".utf8))

    /// Transforms substituted bytes for insertion into a CPE name.
    static func transform(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            if reserved.contains(byte) {
                out.append(UInt8(ascii: "%"))
                out.append(upperHexDigits[Int(byte >> 4)])
                out.append(upperHexDigits[Int(byte & 0x0F)])
            } else if TemplateText.isWhitespace(byte) {
                out.append(UInt8(ascii: "_"))
            } else if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) {
                out.append(byte | 0x20)
            } else {
                out.append(byte)
            }
        }
        return out
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
}
