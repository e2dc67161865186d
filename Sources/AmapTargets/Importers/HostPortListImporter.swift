import AmapModel

/// Reads a plain list, one target per line:
/// `127.0.0.1:80`, `[::1]:22`, `localhost:53/udp`, `127.0.0.1:21,80` (any port specification
/// ``PortList/parse(_:defaultTransport:)`` accepts), or a bare host (`127.0.0.1`, `::1`,
/// `localhost`) that gets the default ports. `#` starts a comment; blank lines are skipped.
/// An unbracketed address with two or more colons is a bare IPv6 host, never `host:port`.
/// This also reads plain address lists such as zmap's output without a header.
public enum HostPortListImporter {
    /// Parses a host list.
    public static func parse(
        _ text: String,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        var collector = ImportCollector(format: .hostPortList, options: options)
        for (number, rawLine) in ImportCollector.numberedLines(text) {
            let line = rawLine.prefix { $0 != "#" }.trimmingSpaces()
            guard !line.isEmpty else { continue }
            let hostText: Substring
            var portText: Substring?
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else {
                    throw .malformed(format: .hostPortList, line: number, reason: "missing ']' after the IPv6 address")
                }
                hostText = line[...close]
                let rest = line[line.index(after: close)...]
                if !rest.isEmpty {
                    guard rest.hasPrefix(":") else {
                        throw .malformed(format: .hostPortList, line: number, reason: "expected ':PORT' after ']'")
                    }
                    portText = rest.dropFirst()
                }
            } else if line.filter({ $0 == ":" }).count == 1, let colon = line.firstIndex(of: ":") {
                hostText = line[..<colon]
                portText = line[line.index(after: colon)...]
            } else {
                hostText = line
            }
            let host = try collector.host(hostText, line: number)
            var list: PortList?
            if let portText { list = try ports(portText, line: number, options) }
            try collector.add(host: host, ports: list, line: number)
        }
        return collector.endpoints
    }

    /// `SPEC` or `SPEC/tcp` / `SPEC/udp`.
    private static func ports(_ text: Substring, line: Int, _ options: ImportOptions) throws(ImportError) -> PortList {
        var spec = text
        var transport = options.defaultTransport
        if let slash = text.lastIndex(of: "/") {
            guard let named = Transport(rawValue: text[text.index(after: slash)...].lowercased()) else {
                throw .invalidPort(format: .hostPortList, line: line, port: String(text))
            }
            transport = named
            spec = text[..<slash]
        }
        do {
            return try PortList.parse(String(spec), defaultTransport: transport)
        } catch {
            throw .invalidPort(format: .hostPortList, line: line, port: String(text))
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
