import AmapModel

/// Reads nmap grepable output (`-oG`), the input of amap's `-i`.
///
/// Same selection as amap: only `Host:` lines with a `Ports:` field are used, and of their
/// `PORT/STATE/PROTO/OWNER/SERVICE/RPC/VERSION/` entries only those whose state is exactly `open`
/// (`open|filtered`, `closed`, `filtered` are skipped) and whose protocol starts with `t` or `u`.
/// Fields are tab-separated; entries are separated by `, `, and a piece that does not start with
/// `DIGITS/` is the tail of the previous entry's version text (which may itself contain `, `). masscan's `-oG` puts
/// `Timestamp: SECONDS<TAB>` before `Host:`; that prefix is skipped.
public enum NmapGrepableImporter {
    /// Parses grepable output.
    public static func parse(
        _ text: String,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        var collector = ImportCollector(format: .nmapGrepable, options: options)
        for (number, whole) in ImportCollector.numberedLines(text) {
            let line = masscanTimestampPrefix(whole).map { whole[$0...] } ?? whole
            guard line.hasPrefix("Host: ") else { continue }
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

    /// Where `Host: ` starts after masscan's `Timestamp: DIGITS<TAB>`, or nil when `line` does not start so.
    static func masscanTimestampPrefix(_ line: Substring) -> Substring.Index? {
        guard line.hasPrefix("Timestamp: ") else { return nil }
        let rest = line.dropFirst("Timestamp: ".count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, rest[digits.endIndex...].hasPrefix("\tHost: ") else { return nil }
        return rest.index(after: digits.endIndex)
    }
}
