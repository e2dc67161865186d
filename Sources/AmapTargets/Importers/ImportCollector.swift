import AmapSignatures

/// Shared plumbing for the importers: line splitting, host validation, endpoint collection.
struct ImportCollector {
    let format: ImportFormat
    let options: ImportOptions
    private(set) var endpoints: [Endpoint] = []

    init(format: ImportFormat, options: ImportOptions) {
        self.format = format
        self.options = options
    }

    /// The lines of `text` with 1-based numbers; `\r\n` endings are accepted.
    static func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { offset, line in
            (offset + 1, line.hasSuffix("\r") ? line.dropLast() : line)
        }
    }

    /// The canonical host text for an address literal (brackets allowed around IPv6), or the name
    /// itself for a valid host name; nil for anything else.
    static func normalizedHost(_ text: Substring) -> String? {
        var host = text
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if let v4 = IPv4Address(parsing: host) { return v4.description }
        if host.contains(":") {
            var zone: Substring?
            if let percent = host.firstIndex(of: "%") {
                zone = host[host.index(after: percent)...]
                host = host[..<percent]
                guard zone?.isEmpty == false else { return nil }
            }
            guard let v6 = IPv6Address(parsing: host) else { return nil }
            return zone.map { "\(v6)%\($0)" } ?? v6.description
        }
        return HostName.isValid(host) ? String(host) : nil
    }

    /// Validates `host` and returns its canonical text, or throws ``ImportError/invalidHost``.
    func host(_ text: Substring, line: Int) throws(ImportError) -> String {
        guard let host = Self.normalizedHost(text) else {
            throw .invalidHost(format: format, line: line, host: String(text))
        }
        return host
    }

    /// Parses a decimal port 1...65535 or throws ``ImportError/invalidPort``.
    func port(_ text: Substring, line: Int) throws(ImportError) -> UInt16 {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(text), (1...65535).contains(value)
        else { throw .invalidPort(format: format, line: line, port: String(text)) }
        return UInt16(value)
    }

    /// Adds one endpoint.
    mutating func add(host: String, port: UInt16, transport: Transport) {
        endpoints.append(Endpoint(host: host, port: port, transport: transport))
    }

    /// Adds `host` on every port of `ports`, or of the default ports when `ports` is nil.
    mutating func add(host: String, ports: PortList?, line: Int) throws(ImportError) {
        guard let list = ports ?? options.defaultPorts, !list.isEmpty else {
            throw .missingPort(format: format, line: line, host: host)
        }
        for transport in Transport.allCases {
            for port in list[transport].ports { add(host: host, port: port, transport: transport) }
        }
    }
}
