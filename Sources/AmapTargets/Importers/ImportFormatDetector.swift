import Foundation

/// Guesses an import file's format from its content.
///
/// Rules, in order, on the first non-blank character and the first lines:
/// 1. `<` → XML: masscan's if the root says `scanner="masscan"`, else nmap's.
/// 2. `{` with a first object naming `schema_version` and `address` → amap JSON Lines; naming `saddr` → zmap JSON;
///    else, like `[` followed by `{` or a line end → masscan JSON (`[::1]:22` stays a host list).
/// 3. A line starting `Host: `, or `Timestamp: N<TAB>Host: ` (masscan's `-oG`), or a first line starting `# Nmap` or
///    `# Masscan` → nmap grepable.
/// 4. A first line starting `#masscan`, or a data line `open|closed|banner tcp|udp|sctp|icmp N …`
///    → masscan list.
/// 5. A first data line with a CSV header naming `saddr` → zmap CSV.
/// 6. Anything else (including an empty file) → host:port list.
public enum ImportFormatDetector {
    /// How many lines are looked at for rules 3 to 5.
    static let sniffedLines = 64

    /// The format `text` most likely has.
    public static func detect(_ text: String) -> ImportFormat {
        let start = text.drop { $0.isWhitespace }
        if start.hasPrefix("<") {
            let root = start.prefix(4096)
            return root.contains("scanner=\"masscan\"") ? .masscanXML : .nmapXML
        }
        if start.hasPrefix("{") { return jsonFlavour(start) }
        if start.hasPrefix("[") {
            // The rest of the first line, on bytes: "\r\n" is a single Character.
            let rest = start.utf8.dropFirst().prefix { $0 != UInt8(ascii: "\n") }
                .drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            if rest.isEmpty || rest.first == UInt8(ascii: "{") { return .masscanJSON }
        }
        var firstLine = true
        var sawDataLine = false
        for line in ImportCollector.lines(text, maximum: sniffedLines) where !line.isEmpty {
            if firstLine {
                firstLine = false
                if line.hasPrefix("# Nmap") || line.hasPrefix("# Masscan") { return .nmapGrepable }
                if line.hasPrefix("#masscan") { return .masscanList }
            }
            if line.hasPrefix("Host: ") || NmapGrepableImporter.masscanTimestampPrefix(line) != nil {
                return .nmapGrepable
            }
            if isMasscanRecord(line) { return .masscanList }
            if !sawDataLine, !line.hasPrefix("#"), !line.trimmingSpaces().isEmpty {
                sawDataLine = true
                let names = line.split(separator: ",").map { $0.trimmingSpaces().lowercased() }
                if names.contains("saddr") { return .zmapCSV }
            }
        }
        return .hostPortList
    }

    /// amap's or zmap's JSON Lines, told by the keys of the first object; masscan's otherwise.
    private static func jsonFlavour(_ start: Substring) -> ImportFormat {
        let firstLine = start.prefix { $0 != "\n" && $0 != "\r\n" }
        guard let object = try? JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: Any] else {
            return .masscanJSON
        }
        if object["schema_version"] != nil && object["address"] != nil { return .amapJSON }
        if object["type"] as? String == "run" && object["run_schema_version"] != nil { return .amapJSON }
        if object["saddr"] != nil { return .zmapJSON }
        return .masscanJSON
    }

    private static func isMasscanRecord(_ line: Substring) -> Bool {
        let fields = line.split(separator: " ", maxSplits: 3)
        guard fields.count >= 4 else { return false }
        return ["open", "closed", "banner"].contains(fields[0])
            && ["tcp", "udp", "sctp", "icmp"].contains(fields[1])
            && fields[2].allSatisfy { $0.isASCII && $0.isNumber }
    }
}
