/// Syntax check for DNS host names (RFC 1123 §2.1). Nothing is resolved here: a name stays a name,
/// and the engine resolves it when it connects.
public enum HostName {
    /// RFC 1035 §2.3.4: 253 characters of text (255 octets on the wire).
    static let maximumLength = 253
    /// RFC 1035 §2.3.4: 63 octets per label.
    static let maximumLabelLength = 63

    /// True when `text` is a syntactically valid host name.
    ///
    /// Labels are letters, digits, `-` and `_` (underscores are not RFC 1123 but appear in real
    /// internal names), 1...63 characters, not starting or ending with `-`; one trailing dot is
    /// allowed. A name made only of digits and dots is refused: that is a malformed IPv4 address.
    public static func isValid(_ text: Substring) -> Bool {
        var name = text
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.utf8.count <= maximumLength else { return false }
        var sawLetter = false
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...maximumLabelLength).contains(label.utf8.count),
                label.first != "-", label.last != "-"
            else { return false }
            for character in label.unicodeScalars {
                switch character {
                case "a"..."z", "A"..."Z", "_", "-": sawLetter = true
                case "0"..."9": break
                default: return false
                }
            }
        }
        return sawLetter
    }

    /// True when `text` is a syntactically valid host name; see ``isValid(_:)-(Substring)``.
    public static func isValid(_ text: String) -> Bool { isValid(text[...]) }
}
