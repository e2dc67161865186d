/// Line-based server replies as the upgrade dialogues read them: complete lines, numeric reply codes (SMTP, FTP,
/// NNTP) and a short printable quote of what the server said.
enum TextReply {
    /// The longest quote of a server's words kept in a refusal reason.
    static let quoteLimit = 120

    /// The complete lines of `bytes` (each ended by LF), without their CR LF; an unfinished last line is left out.
    static func lines(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            var end = index
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = index + 1
        }
        return lines
    }

    /// The three-digit reply code a line starts with, and whether the line continues (`250-`) the reply.
    static func code(of line: String) -> (code: Int, continues: Bool)? {
        let scalars = Array(line.utf8)
        guard scalars.count >= 3, scalars[0..<3].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let code = Int(String(decoding: scalars[0..<3], as: UTF8.self))
        else { return nil }
        let continues = scalars.count > 3 && scalars[3] == UInt8(ascii: "-")
        return (code, continues)
    }

    /// A numeric reply (RFC 5321 §4.2.1, RFC 959 §4.2): its lines, once the last one has arrived; nil while
    /// incomplete. A multi-line reply starts `NNN-` and ends with a line starting `NNN ` (the same code); a first
    /// line without a code is a complete (if unexpected) reply.
    static func numericReply(_ bytes: [UInt8]) -> [String]? {
        let lines = lines(bytes)
        guard let first = lines.first else { return nil }
        guard let (code, continues) = Self.code(of: first), continues else { return [first] }
        for (index, line) in lines.enumerated().dropFirst() {
            if let end = Self.code(of: line), end.code == code, !end.continues {
                return Array(lines[...index])
            }
        }
        return nil
    }

    /// `line` reduced to printable ASCII and at most ``quoteLimit`` characters, for a refusal's reason.
    static func quote(_ line: String) -> String {
        let printable = line.trimmingSpaces.unicodeScalars.map {
            $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "."
        }
        let text = String(printable)
        return text.count > quoteLimit ? String(text.prefix(quoteLimit)) + "..." : text
    }

    /// The first line of `bytes` (complete or not), quoted.
    static func firstLine(_ bytes: [UInt8]) -> String {
        let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        return quote(String(decoding: bytes[..<end], as: UTF8.self))
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
