import AmapModel

/// Reads zmap CSV output (`-O csv`, `-f saddr,sport,...`).
///
/// The first non-comment line is the header. The host column is `saddr` (also accepted: `ip`,
/// `host`, `address`); the port column is `sport` (the source port of the reply, which is the
/// scanned port; also accepted: `port`). Without a port column every host gets the default ports.
/// Rows are skipped when a `success` column says `0`/`false` or a `classification` column says
/// `rst` (closed) or an ICMP class; a `classification` of `udp` makes the row UDP, otherwise rows
/// use the default transport. Fields may be double-quoted (`"a,b"`, `""` for a quote).
public enum ZmapCSVImporter {
    static let hostColumns: Set<String> = ["saddr", "ip", "host", "address"]
    static let portColumns: Set<String> = ["sport", "port"]

    /// Parses CSV output.
    public static func parse(
        _ text: String,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        var collector = ImportCollector(format: .zmapCSV, options: options)
        var header: [String]?
        var hostColumn = 0
        var portColumn: Int?
        var successColumn: Int?
        var classColumn: Int?
        for (number, line) in ImportCollector.numberedLines(text) {
            guard !line.trimmingSpaces().isEmpty, !line.hasPrefix("#") else { continue }
            let fields = try splitCSV(line, line: number)
            guard let names = header else {
                let names = fields.map { $0[...].trimmingSpaces().lowercased() }
                guard let host = names.firstIndex(where: hostColumns.contains) else {
                    throw .malformed(format: .zmapCSV, line: number, reason: "the header names no 'saddr' column")
                }
                hostColumn = host
                portColumn = names.firstIndex(where: portColumns.contains)
                successColumn = names.firstIndex(of: "success")
                classColumn = names.firstIndex(of: "classification")
                header = names
                continue
            }
            guard fields.count == names.count else {
                throw .malformed(
                    format: .zmapCSV,
                    line: number,
                    reason: "\(fields.count) fields where the header has \(names.count)"
                )
            }
            if let successColumn, ["0", "false"].contains(fields[successColumn].lowercased()) { continue }
            let classification = classColumn.map { fields[$0].lowercased() } ?? ""
            if classification == "rst" || classification.hasPrefix("icmp") { continue }
            let host = try collector.host(fields[hostColumn][...], line: number)
            let transport: Transport = classification == "udp" ? .udp : options.defaultTransport
            if let portColumn, !fields[portColumn].isEmpty {
                let port = try collector.port(fields[portColumn][...], line: number)
                try collector.add(host: host, port: port, transport: transport, line: number)
            } else {
                try collector.add(host: host, ports: nil, line: number)
            }
        }
        return collector.endpoints
    }

    /// RFC 4180 fields of one line.
    static func splitCSV(_ line: Substring, line number: Int) throws(ImportError) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            index = line.index(after: index)
            if quoted {
                if character == "\"" {
                    if index < line.endIndex, line[index] == "\"" {
                        field.append("\"")
                        index = line.index(after: index)
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        guard !quoted else { throw .malformed(format: .zmapCSV, line: number, reason: "unterminated quoted field") }
        fields.append(field)
        return fields
    }
}
