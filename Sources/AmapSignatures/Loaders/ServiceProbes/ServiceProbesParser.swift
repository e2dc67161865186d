import AmapModel

/// Turns the bytes of an nmap-service-probes file into a `LoadResult`, line by line.
///
/// The lexical rules are nmap's: a line whose first byte is `#` is a comment, an empty line is skipped, and every
/// other line must start (in column 1) with a directive and one space. A line that breaks a rule is reported and
/// skipped; a bad `Probe` line also skips the directives that belong to it.
struct ServiceProbesParser {
    /// nmap reads lines into an 8 KiB buffer: 8,191 bytes and the terminating NUL.
    static let maximumLineLength = 8191
    /// Every directive, for the "unknown directive" message.
    static let directiveNames = "Exclude, Probe, ports, sslports, rarity, fallback, totalwaitms, tcpwrappedms, "
        + "match or softmatch"
    /// nmap's bounds for `totalwaitms` and `tcpwrappedms`, in milliseconds.
    static let waitRange = 100...300_000

    let fileName: String
    /// nmap rejects patterns that can match the empty string; see `ServiceProbesMatchLine`.
    var rejectEmptyMatch = true

    private var diagnostics: [LoadDiagnostic] = []
    private var probes: [Probe] = []
    private var exclusions = ServiceProbesPortLists.Exclusions()
    private var sawExclude = false
    private var sawProbe = false
    private var sawNullProbe = false
    /// The probe whose directives are being read.
    private var current: Probe?
    /// Set while skipping the body of a Probe line that could not be loaded: where it was, and lines skipped.
    private var skipped: (location: SourceLocation, lines: Int)?
    private var fallbacks: [ServiceProbesFallbacks.Pending] = []
    /// PCRE2 could not be loaded: reported once, then every regex is skipped.
    private var regexUnavailable = false
    private var warnedCarriageReturn = false

    init(fileName: String) {
        self.fileName = fileName
    }

    /// Parses the whole file.
    mutating func parse(_ bytes: [UInt8]) -> LoadResult {
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            parseLine(bytes[start..<end], number: lineNumber)
            start = end + 1
        }
        finishProbe()
        let resolution = ServiceProbesFallbacks.resolve(fallbacks, in: &probes, fileName: fileName)
        diagnostics += resolution
        // Fallback problems are found last; present everything in file order.
        let ordered = diagnostics.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset)
                < ($1.element.location.line, $1.element.location.column, $1.offset)
        }.map(\.element)
        let database = SignatureDatabase(
            probes: probes,
            excludedTCPPorts: exclusions.tcp,
            excludedUDPPorts: exclusions.udp,
            sources: [fileName]
        )
        return LoadResult(database: database, diagnostics: ordered)
    }

    private mutating func parseLine(_ line: ArraySlice<UInt8>, number: Int) {
        guard let first = line.first, first != UInt8(ascii: "#") else { return }
        if line.count == 1, first == UInt8(ascii: "\r") {
            if !warnedCarriageReturn {
                warnedCarriageReturn = true
                report(.warning, line: number, column: 1,
                       "the file has CRLF line ends; nmap rejects a blank line holding '\\r' "
                           + "(this one and any later ones are skipped)")
            }
            return
        }
        if current == nil, var skip = skipped, !line.starts(with: Array("Probe ".utf8)) {
            skip.lines += 1
            skipped = skip
            return
        }
        guard line.count <= Self.maximumLineLength else {
            report(.error, line: number, column: Self.maximumLineLength + 1,
                   "the line is \(line.count) bytes long; nmap allows at most \(Self.maximumLineLength)")
            if line.starts(with: Array("Probe ".utf8)) { beginSkipping(line: number) }
            return
        }
        var scanner = ServiceProbesLineScanner(Array(line))
        if TemplateText.isWhitespace(first) {
            report(.error, line: number, column: 1,
                   "the line starts with whitespace; a directive must start in column 1 (nmap rejects this line)")
            return
        }
        do throws(ServiceProbesLineError) {
            if scanner.consume("Probe ") {
                try probeLine(&scanner, number: number)
            } else if scanner.consume("Exclude ") {
                try excludeLine(&scanner, number: number)
            } else if scanner.bytes.starts(with: Array("match ".utf8))
                || scanner.bytes.starts(with: Array("softmatch ".utf8))
            {
                try requireProbe(scanner.bytes, number: number)
                matchLine(scanner.bytes, number: number)
            } else if scanner.consume("ports ") {
                try requireProbe(scanner.bytes, number: number)
                current?.ports.formUnion(try ServiceProbesPortLists.probablePorts(&scanner))
            } else if scanner.consume("sslports ") {
                try requireProbe(scanner.bytes, number: number)
                current?.sslPorts.formUnion(try ServiceProbesPortLists.probablePorts(&scanner))
            } else if scanner.consume("rarity ") {
                try requireProbe(scanner.bytes, number: number)
                let rarity = try boundedNumber(&scanner, in: 1...9, line: number,
                                               "rarity must be a whole number from 1 to 9")
                current?.rarity = rarity
            } else if scanner.consume("totalwaitms ") {
                try requireProbe(scanner.bytes, number: number)
                let wait = try boundedNumber(
                    &scanner, in: Self.waitRange, line: number, "totalwaitms must be between 100 and 300000")
                current?.totalWaitMilliseconds = wait
            } else if scanner.consume("tcpwrappedms ") {
                try requireProbe(scanner.bytes, number: number)
                let wait = try boundedNumber(
                    &scanner, in: Self.waitRange, line: number, "tcpwrappedms must be between 100 and 300000")
                current?.tcpWrappedMilliseconds = wait
            } else if scanner.consume("fallback ") {
                try requireProbe(scanner.bytes, number: number)
                try fallbackLine(&scanner, number: number)
            } else {
                let word = scanner.bytes.prefix { $0 != UInt8(ascii: " ") }
                throw scanner.error("unknown directive '\(ServiceProbesLineScanner.shown(word))'; expected "
                    + Self.directiveNames + " followed by a space")
            }
        } catch {
            report(.error, line: number, column: error.column, error.message)
        }
    }

    // MARK: Directives

    private mutating func probeLine(_ scanner: inout ServiceProbesLineScanner, number: Int)
        throws(ServiceProbesLineError)
    {
        finishProbe()
        sawProbe = true
        let parsed: ServiceProbesProbeLine.Parsed
        do {
            parsed = try ServiceProbesProbeLine.parse(&scanner)
        } catch {
            beginSkipping(line: number)
            throw error
        }
        for warning in parsed.warnings { report(.warning, line: number, column: warning.column, warning.message) }
        if parsed.payload.isEmpty {
            // nmap recognises the NULL probe by its empty payload and keeps exactly one, for TCP.
            guard parsed.transport == .tcp else {
                beginSkipping(line: number)
                throw scanner.error("a UDP probe needs a payload; only the TCP NULL probe may be empty", column: 1)
            }
            guard !sawNullProbe else {
                beginSkipping(line: number)
                throw scanner.error("a second NULL probe (empty payload); nmap allows only one", column: 1)
            }
            sawNullProbe = true
        }
        if probes.contains(where: { $0.name == parsed.name && $0.transport == parsed.transport }) {
            report(.warning, line: number, column: 11,
                   "a \(parsed.transport) probe named '\(parsed.name)' is already defined; "
                       + "fallbacks naming it reach the first one")
        }
        current = Probe(
            name: parsed.name,
            transport: parsed.transport,
            payload: parsed.payload,
            isNoPayload: parsed.isNoPayload,
            location: location(line: number)
        )
    }

    private mutating func excludeLine(_ scanner: inout ServiceProbesLineScanner, number: Int)
        throws(ServiceProbesLineError)
    {
        guard !sawProbe else {
            throw scanner.error("Exclude must come before the first Probe line", column: 1)
        }
        guard !sawExclude else {
            throw scanner.error("only one Exclude directive is allowed", column: 1)
        }
        let parsed = try ServiceProbesPortLists.exclusions(&scanner)
        sawExclude = true
        exclusions.tcp.formUnion(parsed.tcp)
        exclusions.udp.formUnion(parsed.udp)
        for warning in parsed.warnings { report(.warning, line: number, column: warning.column, warning.message) }
    }

    private mutating func matchLine(_ bytes: [UInt8], number: Int) {
        guard let transport = current?.transport else { return }
        if regexUnavailable { return }
        do {
            let parsed = try ServiceProbesMatchLine.parse(
                bytes, transport: transport, location: location(line: number), rejectEmptyMatch: rejectEmptyMatch)
            for warning in parsed.warnings { report(.warning, line: number, column: warning.column, warning.message) }
            current?.signatures.append(parsed.signature)
        } catch {
            switch error {
            case .syntax(let problem):
                report(.error, line: number, column: problem.column, problem.message)
            case .regex(let regexError, let column):
                switch regexError {
                case .compileFailed(let message, let offset):
                    report(.error, line: number, column: column + offset,
                           "the regex does not compile: \(message)")
                case .matchesEmptyString:
                    report(.error, line: number, column: column,
                           "the regex can match an empty response, so it would match anything; nmap rejects it")
                case .libraryMissing, .librarySymbolsMissing:
                    regexUnavailable = true
                    report(.error, line: number, column: column,
                           "\(regexError); no match line of this file can be loaded")
                }
            }
        }
    }

    private mutating func fallbackLine(_ scanner: inout ServiceProbesLineScanner, number: Int)
        throws(ServiceProbesLineError)
    {
        guard let probe = current else { return }
        let pending = try ServiceProbesFallbacks.parse(&scanner, probeIndex: probes.count, probeName: probe.name,
                                                       line: number)
        if let earlier = fallbacks.lastIndex(where: { $0.probeIndex == probes.count }) {
            let earlierLine = fallbacks[earlier].line
            report(.warning, line: number, column: 1,
                   "a second fallback line for probe '\(probe.name)' replaces the one on line \(earlierLine)")
            fallbacks.remove(at: earlier)
        }
        fallbacks.append(pending)
    }

    // MARK: Helpers

    private mutating func finishProbe() {
        if let probe = current { probes.append(probe) }
        current = nil
        if let skip = skipped, skip.lines > 0 {
            report(.warning, line: skip.location.line, column: 1,
                   "\(skip.lines) line(s) after this bad Probe line were skipped with it")
        }
        skipped = nil
    }

    private mutating func beginSkipping(line: Int) {
        current = nil
        skipped = (location(line: line), 0)
    }

    private func requireProbe(_ line: [UInt8], number: Int) throws(ServiceProbesLineError) {
        guard current == nil else { return }
        let word = ServiceProbesLineScanner.shown(line.prefix { $0 != UInt8(ascii: " ") })
        throw ServiceProbesLineError(column: 1, message: "'\(word)' must follow a Probe line")
    }

    /// A decimal in `range`, as nmap's atoi/strtol read it: leading digits count, and trailing text is ignored
    /// (with a warning here).
    private mutating func boundedNumber(
        _ scanner: inout ServiceProbesLineScanner,
        in range: ClosedRange<Int>,
        line: Int,
        _ message: String
    ) throws(ServiceProbesLineError) -> Int {
        scanner.skipWhitespace()
        let column = scanner.column
        guard let value = scanner.decimal(), range.contains(value) else {
            throw scanner.error(message, column: column)
        }
        let rest = scanner.restTrimmed
        if !rest.isEmpty {
            report(.warning, line: line, column: rest.startIndex + 1,
                   "text after the number is ignored: '\(ServiceProbesLineScanner.shown(rest))'")
        }
        return value
    }

    private func location(line: Int, column: Int = 1) -> SourceLocation {
        SourceLocation(file: fileName, line: line, column: column)
    }

    private mutating func report(_ severity: LoadDiagnostic.Severity, line: Int, column: Int, _ message: String) {
        diagnostics.append(LoadDiagnostic(severity, at: location(line: line, column: column), message))
    }
}
