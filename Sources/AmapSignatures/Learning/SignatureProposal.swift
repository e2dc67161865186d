import AmapModel

/// A signature proposed from one exchange with an unknown service: the payload that drew a response becomes a
/// probe, and the response's first line (or first bytes) becomes a match line in the nmap-service-probes grammar.
///
/// The pattern matches the response's literal prefix, anchored at the start; every version-like token
/// (`\d+(\.\d+)+`, such as `4.2.1`) becomes a capture `([\d.]+)`, and the first capture is the version (`v/$1/`).
/// The result is a starting point for a person to review, not a finished signature.
public struct SignatureProposal: Sendable, Hashable {
    /// TCP or UDP.
    public var transport: Transport
    /// The probe's name: `NULL` for a banner (nothing sent), else ``learnedProbeName``.
    public var probeName: String
    /// The bytes sent.
    public var payload: [UInt8]
    /// The port the exchange was on, written as the probe's `ports` line.
    public var port: UInt16?
    /// The service name of the match line.
    public var service: String
    /// The PCRE pattern, without delimiters.
    public var pattern: String
    /// The version-like tokens found in the response prefix, in order; the first is `$1`.
    public var versions: [String]

    /// The name of a probe whose payload drew the response.
    public static let learnedProbeName = "Learned"
    /// The response prefix ends at the first line feed within this many bytes (a typical greeting line fits).
    public static let lineLimit = 128
    /// Without a line feed that early, the prefix is this many bytes (enough to be specific, short enough to leave
    /// out session-specific data that usually follows a binary header).
    public static let byteLimit = 32
    /// Service names are cut to this length (nmap's longest shipped names are about 20 characters).
    static let serviceNameLimit = 24

    /// Proposes a signature.
    ///
    /// - Parameters:
    ///   - payload: what was sent (empty for a banner).
    ///   - response: what came back; must not be empty.
    ///   - transport: TCP or UDP.
    ///   - port: the port, for the `ports` line.
    ///   - service: the service name; by default one is made from the response's first word.
    public init(payload: [UInt8], response: [UInt8], transport: Transport, port: UInt16? = nil, service: String? = nil)
    {
        self.transport = transport
        self.payload = payload
        self.port = port
        probeName = payload.isEmpty ? "NULL" : Self.learnedProbeName
        let prefix = Self.prefix(of: response)
        self.service = service ?? Self.serviceName(from: prefix)
        (pattern, versions) = Self.pattern(for: prefix)
    }

    /// The part of the response the pattern covers.
    static func prefix(of response: [UInt8]) -> ArraySlice<UInt8> {
        if let newline = response.prefix(lineLimit).firstIndex(of: 0x0A) {
            return response[...newline]
        }
        return response.prefix(byteLimit)
    }

    /// The pattern: `^`, then literal runs escaped, version tokens replaced by captures.
    static func pattern(for prefix: ArraySlice<UInt8>) -> (String, [String]) {
        var pattern = "^"
        var versions: [String] = []
        var literalStart = prefix.startIndex
        var index = prefix.startIndex
        while index < prefix.endIndex {
            if let end = versionToken(in: prefix, at: index) {
                pattern += RegexLiteralEscaping.escape(prefix[literalStart..<index])
                pattern += "([\\d.]+)"
                versions.append(String(decoding: prefix[index..<end], as: UTF8.self))
                index = end
                literalStart = end
            } else {
                index += 1
            }
        }
        pattern += RegexLiteralEscaping.escape(prefix[literalStart..<prefix.endIndex])
        return (pattern, versions)
    }

    /// The end of a `\d+(\.\d+)+` token starting at `start` (not preceded by a digit), or nil.
    static func versionToken(in bytes: ArraySlice<UInt8>, at start: Int) -> Int? {
        func isDigit(_ index: Int) -> Bool { index < bytes.endIndex && (0x30...0x39).contains(bytes[index]) }
        guard isDigit(start), start == bytes.startIndex || !isDigit(start - 1) else { return nil }
        var index = start
        while isDigit(index) { index += 1 }
        var groups = 0
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: "."), isDigit(index + 1) {
            index += 1
            while isDigit(index) { index += 1 }
            groups += 1
        }
        return groups > 0 ? index : nil
    }

    /// The response's first word of letters, digits and hyphens (starting with a letter, at least two bytes),
    /// lowercased; `unknown-learned` when there is none.
    static func serviceName(from prefix: ArraySlice<UInt8>) -> String {
        var word: [UInt8] = []
        for byte in prefix {
            let lower = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            let isLetter = (0x61...0x7A).contains(lower)
            let isPart = isLetter || (0x30...0x39).contains(lower) || lower == UInt8(ascii: "-")
            if word.isEmpty ? isLetter : isPart {
                word.append(lower)
                if word.count == serviceNameLimit { break }
            } else if word.count >= 2 {
                break
            } else {
                word = []
            }
        }
        while word.last == UInt8(ascii: "-") { word.removeLast() }
        return word.count >= 2 ? String(decoding: word, as: UTF8.self) : "unknown-learned"
    }

    /// `Probe TCP Learned q|HELP\r\n|`.
    public var probeLine: String {
        "Probe \(transport == .tcp ? "TCP" : "UDP") \(probeName) q|\(ProbeStringEscaping.escape(payload))|"
    }

    /// `match xyzzy-server m|^XYZZY-SERVER ([\d.]+) ready\r\n| v/$1/`.
    public var matchLine: String {
        "match \(service) m|\(pattern)|" + (versions.isEmpty ? "" : " v/$1/")
    }

    /// The proposal as a file in the nmap-service-probes grammar: a comment, the probe, its ports and the match.
    public var fileText: String {
        var lines = [
            "# Proposed by amap learn: review before use. The pattern is the response's literal prefix;",
            "# version-like tokens became captures. Rename the service and add p/…/ as appropriate.",
            probeLine,
        ]
        if let port { lines.append("ports \(port)") }
        lines.append(matchLine)
        return lines.joined(separator: "\n") + "\n"
    }
}
