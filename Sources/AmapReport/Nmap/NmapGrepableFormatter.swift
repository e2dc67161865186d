import AmapModel
import Foundation

/// nmap-style grepable output (`-oG`): `Host: ADDR (NAME)\tPorts: PORT/STATE/PROTO//SERVICE//VERSION/`.
///
/// One `Host:` line per finished endpoint, written when it finishes (nmap writes one per host; readers
/// such as amap's `-i` take each line on its own). Field text is terminal-escaped, then `/` becomes `|`
/// (nmap's rule) and `,` becomes `\x2c` so a hostile version string cannot split the port list.
public struct NmapGrepableFormatter: ReportFormatter {
    /// The run's command line, branding and port filter.
    public let run: NmapRunInfo
    /// The zone the comment lines' times are printed in.
    public let timeZone: TimeZone
    private var startedAt: Date?
    private var hosts: Set<String> = []

    /// Creates a formatter.
    public init(run: NmapRunInfo, timeZone: TimeZone = .current) {
        self.run = run
        self.timeZone = timeZone
    }

    /// `# amap v5.4-swift (swift-amap) scan initiated DATE as: ARGS`.
    public mutating func header(startedAt date: Date) -> String {
        startedAt = date
        let branding = run.branding
        return "# \(branding.program) v\(branding.version) (\(branding.resource)) scan initiated "
            + "\(ReportTimestamp.ctime(date, timeZone: timeZone)) as: \(TerminalEscaping.escape(run.arguments))\n"
    }

    /// A `Host:` line for a finished endpoint; nothing for the other events.
    public mutating func format(_ event: ScanEvent) -> String {
        guard case .finished(let result) = event, run.writes(result.state) else { return "" }
        let endpoint = result.endpoint
        hosts.insert(endpoint.address)
        let name = endpoint.host == endpoint.address ? "" : field(endpoint.host)
        var service = ""
        var version = ""
        if let primary = result.primary {
            service = (primary.isTunnelled ? "ssl|" : "") + field(primary.service)
            version = field(NmapVocabulary.versionText(primary.version))
        }
        return "Host: \(field(endpoint.address)) (\(name))\tPorts: \(endpoint.port)/\(result.state.rawValue)/"
            + "\(endpoint.transport)//\(service)//\(version)/\n"
    }

    /// `# amap done at DATE -- N IP addresses scanned in S seconds`.
    public mutating func footer(finishedAt date: Date) -> String {
        let elapsed = max(0, date.timeIntervalSince(startedAt ?? date))
        let plural = hosts.count == 1 ? "" : "es"
        return "# \(run.branding.program) done at \(ReportTimestamp.ctime(date, timeZone: timeZone)) -- "
            + "\(hosts.count) IP address\(plural) scanned in \(String(format: "%.2f", elapsed)) seconds\n"
    }

    private func field(_ text: String) -> String {
        TerminalEscaping.escape(text)
            .replacingOccurrences(of: "/", with: "|")
            .replacingOccurrences(of: ",", with: "\\x2c")
    }
}
