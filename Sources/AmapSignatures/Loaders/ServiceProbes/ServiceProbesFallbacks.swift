import AmapModel

/// nmap's `fallback` directive: parsing the name list, and resolving the names once every probe is known.
enum ServiceProbesFallbacks {
    /// nmap keeps MAXFALLBACKS = 20 slots: the probe itself, up to 17 named probes, the NULL probe, and an end
    /// marker; an 18th name is already fatal.
    static let maximumNames = 17

    /// A fallback line waiting for resolution: names may refer to probes defined later in the file.
    struct Pending: Sendable {
        var probeIndex: Int
        var probeName: String
        var line: Int
        /// Each name with its 1-based column.
        var names: [(name: String, column: Int)]
    }

    /// Splits the list at commas and whitespace, as nmap's strtok(",\r\n\t ") does.
    static func parse(
        _ scanner: inout ServiceProbesLineScanner,
        probeIndex: Int,
        probeName: String,
        line: Int
    ) throws(ServiceProbesLineError) -> Pending {
        var names: [(name: String, column: Int)] = []
        func isSeparator(_ byte: UInt8) -> Bool { byte == UInt8(ascii: ",") || TemplateText.isWhitespace(byte) }
        while true {
            _ = scanner.take(while: isSeparator)
            guard !scanner.isAtEnd else { break }
            let column = scanner.column
            let name = scanner.take { !isSeparator($0) }
            guard names.count < maximumNames else {
                throw scanner.error("too many fallbacks: nmap allows at most \(maximumNames) names", column: column)
            }
            names.append((TemplateText.latin1(Array(name)), column))
        }
        guard !names.isEmpty else { throw scanner.error("expected one or more probe names, separated by commas") }
        return Pending(probeIndex: probeIndex, probeName: probeName, line: line, names: names)
    }

    /// Checks every name against the loaded probes (nmap looks on the same transport first, then on any), stores
    /// the names that resolve in `Probe.fallbackNames`, and reports the others.
    static func resolve(_ pending: [Pending], in probes: inout [Probe], fileName: String) -> [LoadDiagnostic] {
        var diagnostics: [LoadDiagnostic] = []
        let knownNames = Set(probes.map(\.name))
        for entry in pending where entry.probeIndex < probes.count {
            var resolved: [String] = []
            for (name, column) in entry.names {
                // A name of the other transport is valid: nmap's TCP DNS probes fall back to the UDP ones.
                guard knownNames.contains(name) else {
                    diagnostics.append(LoadDiagnostic(
                        .error, at: SourceLocation(file: fileName, line: entry.line, column: column),
                        "unknown fallback '\(name)' in probe '\(entry.probeName)': no probe of that name "
                            + "is defined in this file"))
                    continue
                }
                resolved.append(name)
            }
            probes[entry.probeIndex].fallbackNames = resolved
        }
        return diagnostics
    }
}
