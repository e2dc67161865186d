import AmapModel

/// Reads masscan list output (`-oL`): `STATE PROTO PORT ADDRESS TIMESTAMP` lines such as
/// `open tcp 80 192.0.2.7 1390000000`, with `#` comment lines (`#masscan`, `# end`).
/// Only `open` lines on `tcp` or `udp` are used; `banner` lines and other protocols are skipped.
public enum MasscanListImporter {
    /// Parses list output.
    public static func parse(
        _ text: String,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        var collector = ImportCollector(format: .masscanList, options: options)
        for (number, line) in ImportCollector.numberedLines(text) {
            let fields = ImportCollector.fields(line)
            guard let state = fields.first, !state.hasPrefix("#") else { continue }
            guard state == "open" || state == "closed" || state == "banner" else {
                throw .malformed(format: .masscanList, line: number, reason: "unknown record type '\(state)'")
            }
            guard state == "open" else { continue }
            guard fields.count >= 4 else {
                throw .malformed(
                    format: .masscanList,
                    line: number,
                    reason: "expected 'open PROTO PORT ADDRESS TIMESTAMP'"
                )
            }
            guard let transport = Transport(rawValue: String(fields[1])) else { continue }
            let port = try collector.port(fields[2], line: number)
            let host = try collector.host(fields[3], line: number)
            try collector.add(host: host, port: port, transport: transport, line: number)
        }
        return collector.endpoints
    }
}
