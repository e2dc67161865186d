import AmapModel

/// Shared plumbing for the importers: line splitting, host validation, endpoint collection.
struct ImportCollector {
    let format: ImportFormat
    let options: ImportOptions
    private(set) var endpoints: [Endpoint] = []

    init(format: ImportFormat, options: ImportOptions) {
        self.format = format
        self.options = options
    }

    /// The lines of `text` with 1-based numbers, without their `\n` or `\r\n` ending.
    ///
    /// Split on UTF-8 bytes: splitting on the Character `"\n"` would miss CRLF endings (`"\r\n"`
    /// is one grapheme) and is several times slower on large scanner outputs.
    static func numberedLines(_ text: String) -> [(number: Int, text: Substring)] {
        lines(text, maximum: .max).enumerated().map { ($0.offset + 1, $0.element) }
    }

    /// Up to `maximum` lines of `text` (see ``numberedLines(_:)``).
    static func lines(_ text: String, maximum: Int) -> [Substring] {
        var lines: [Substring] = []
        for bytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            guard lines.count < maximum else { break }
            var line = bytes
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            lines.append(Substring(line))
        }
        return lines
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
        var value = 0
        for digit in text.utf8 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit), value <= 65535 else {
                throw .invalidPort(format: format, line: line, port: String(text))
            }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        guard (1...65535).contains(value) else { throw .invalidPort(format: format, line: line, port: String(text)) }
        return UInt16(value)
    }

    /// The space- or tab-separated fields of `line` (split on bytes, for speed on large files).
    static func fields(_ line: Substring) -> [Substring] {
        line.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }).map(Substring.init)
    }

    /// Adds one endpoint (found on `line`), or throws ``ImportError/tooManyEndpoints(format:line:limit:)``.
    mutating func add(host: String, port: UInt16, transport: Transport, line: Int) throws(ImportError) {
        try reserve(1, line: line)
        endpoints.append(Endpoint(host: host, port: port, transport: transport))
    }

    /// Checks that `count` more endpoints stay within the limit.
    private func reserve(_ count: Int, line: Int) throws(ImportError) {
        guard let limit = options.endpointLimit, endpoints.count + count > limit else { return }
        throw .tooManyEndpoints(format: format, line: line, limit: limit)
    }

    /// Adds `host` on every port of `ports`, or of the default ports when `ports` is nil.
    mutating func add(host: String, ports: PortList?, line: Int) throws(ImportError) {
        guard let list = ports ?? options.defaultPorts, !list.isEmpty else {
            throw .missingPort(format: format, line: line, host: host)
        }
        // Counted before anything is expanded: one line can be 131,070 endpoints.
        try reserve(list.count, line: line)
        for transport in Transport.allCases {
            for port in list[transport].ports {
                endpoints.append(Endpoint(host: host, port: port, transport: transport))
            }
        }
    }
}
