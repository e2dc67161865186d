import AmapModel

/// Parses the `Probe <TCP|UDP> <name> q<d><string><d> [no-payload]` directive.
enum ServiceProbesProbeLine {
    /// What a Probe line declares.
    struct Parsed: Sendable, Hashable {
        var transport: Transport
        var name: String
        var payload: [UInt8]
        var isNoPayload: Bool
        var warnings: [ServiceProbesLineError]
    }

    /// Parses the line; the scanner stands just after `Probe `.
    static func parse(_ scanner: inout ServiceProbesLineScanner) throws(ServiceProbesLineError) -> Parsed {
        let transport: Transport
        if scanner.consume("TCP ") {
            transport = .tcp
        } else if scanner.consume("UDP ") {
            transport = .udp
        } else {
            throw scanner.error("expected the protocol 'TCP' or 'UDP' followed by one space")
        }
        guard let first = scanner.current, isASCIIAlphanumeric(first) else {
            throw scanner.error("expected a probe name starting with a letter or digit")
        }
        let nameColumn = scanner.column
        guard let name = scanner.take(upTo: UInt8(ascii: " ")) else {
            throw scanner.error("expected a space and the probe string q|…| after the probe name", column: nameColumn)
        }
        guard scanner.current == UInt8(ascii: "q") else {
            throw scanner.error("expected the probe string q|…| (a 'q' and any delimiter) after the probe name")
        }
        scanner.index += 1
        guard let delimiter = scanner.current else {
            throw scanner.error("expected a delimiter after 'q', as in q|GET / HTTP/1.0\\r\\n\\r\\n|")
        }
        scanner.index += 1
        let bodyIndex = scanner.index
        guard let body = scanner.take(upTo: delimiter) else {
            throw scanner.error("the probe string has no closing '\(ServiceProbesLineScanner.shown([delimiter]))'",
                                column: bodyIndex + 1)
        }
        let unescaped: ProbeStringUnescaper.Output
        do {
            unescaped = try ProbeStringUnescaper.unescape(body)
        } catch {
            throw scanner.error(error.message, column: bodyIndex + error.offset + 1)
        }
        var warnings = unescaped.warnings.map {
            ServiceProbesLineError(column: bodyIndex + $0.offset + 1, message: $0.message)
        }
        scanner.skipWhitespace()
        let isNoPayload = scanner.consume("no-payload")
        let rest = scanner.restTrimmed
        if !rest.isEmpty {
            warnings.append(scanner.error("unexpected text after the probe string is ignored: '"
                + ServiceProbesLineScanner.shown(rest) + "'", column: rest.startIndex + 1))
        }
        return Parsed(transport: transport, name: TemplateText.latin1(Array(name)), payload: unescaped.bytes,
                      isNoPayload: isNoPayload, warnings: warnings)
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        TemplateText.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
}
