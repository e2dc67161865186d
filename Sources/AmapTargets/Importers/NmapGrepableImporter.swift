import AmapModel

/// Reads nmap grepable output (`-oG`), the input of amap's `-i`.
///
/// Same selection as amap: only `Host:` lines with a `Ports:` field are used, and of their
/// `PORT/STATE/PROTO/OWNER/SERVICE/RPC/VERSION/` entries only those whose state is exactly `open`
/// (`open|filtered`, `closed`, `filtered` are skipped) and whose protocol starts with `t` or `u`.
/// Fields are tab-separated; entries are separated by `, `, and a piece that does not start with
/// `DIGITS/` is the tail of the previous entry's version text (which may itself contain `, `).
public enum NmapGrepableImporter {
    /// Parses grepable output.
    public static func parse(
        _ text: String,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        var collector = ImportCollector(format: .nmapGrepable, options: options)
        for (number, line) in ImportCollector.numberedLines(text) where line.hasPrefix("Host: ") {
            let fields = line.split(separator: "\t")
            guard let portsField = fields.first(where: { $0.hasPrefix("Ports: ") }) else { continue }
            let hostText = fields[0].dropFirst("Host: ".count).prefix { $0 != " " }
            let host = try collector.host(hostText, line: number)
            for piece in portsField.dropFirst("Ports: ".count).split(separator: ", ") {
                let parts = piece.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, let first = parts[0].first, first.isASCII, first.isNumber else { continue }
                guard parts[1] == "open" else { continue }
                let transport: Transport
                switch parts[2].first {
                case "t": transport = .tcp
                case "u": transport = .udp
                default: continue
                }
                let port = try collector.port(parts[0], line: number)
                try collector.add(host: host, port: port, transport: transport, line: number)
            }
        }
        return collector.endpoints
    }
}
