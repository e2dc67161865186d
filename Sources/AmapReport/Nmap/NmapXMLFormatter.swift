import AmapModel
import Foundation

/// nmap-style XML (`-oX`): `nmaprun` / `host` / `ports` / `port` / `state` / `service` with `cpe` children.
///
/// To stream, each finished endpoint becomes its own `<host>` element holding that one port (nmap's
/// DTD allows a host to appear more than once; tools that want one element per address merge by
/// `address/@addr`). Identified services carry `method="probed" conf="10"`; ports without an
/// identification have no `<service>`. Every attribute value passes through ``XMLEscaping``.
public struct NmapXMLFormatter: ReportFormatter {
    /// The run's command line, branding and port filter.
    public let run: NmapRunInfo
    /// The zone `startstr` and `timestr` are printed in.
    public let timeZone: TimeZone
    private var startedAt: Date?
    private var hosts: Set<String> = []

    /// Creates a formatter.
    public init(run: NmapRunInfo, timeZone: TimeZone = .current) {
        self.run = run
        self.timeZone = timeZone
    }

    /// The XML declaration and the opening `nmaprun`.
    public mutating func header(startedAt date: Date) -> String {
        startedAt = date
        let start = Int(date.timeIntervalSince1970)
        let branding = run.branding
        let name = comment("\(branding.program) \(branding.version) (\(branding.resource))")
        // nmap.dtd allows only scanner="nmap", and ndiff and other nmap tools rely on the DTD: the real program is
        // named in a comment (no DTD constraint) and in `version` and `args`.
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n"
            + "<!-- \(name) -->\n"
            + "<nmaprun scanner=\"nmap\" args=\"\(attr(run.arguments))\" start=\"\(start)\" "
            + "startstr=\"\(ReportTimestamp.ctime(date, timeZone: timeZone))\" "
            + "version=\"\(attr(run.branding.version))\" xmloutputversion=\"1.05\">\n"
            + "<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n"
    }

    /// A `<host>` element for a finished endpoint; nothing for the other events.
    public mutating func format(_ event: ScanEvent) -> String {
        guard case .finished(let result) = event, run.writes(result.state) else { return "" }
        let endpoint = result.endpoint
        hosts.insert(endpoint.address)
        var text = "<host><status state=\"up\" reason=\"user-set\" reason_ttl=\"0\"/>\n"
            + "<address addr=\"\(attr(endpoint.address))\" addrtype=\"\(NmapVocabulary.addressType(endpoint))\"/>\n"
        if endpoint.host != endpoint.address {
            text += "<hostnames>\n<hostname name=\"\(attr(endpoint.host))\" type=\"user\"/>\n</hostnames>\n"
        } else {
            text += "<hostnames>\n</hostnames>\n"
        }
        text += "<ports><port protocol=\"\(endpoint.transport)\" portid=\"\(endpoint.port)\">"
            + "<state state=\"\(result.state.rawValue)\" "
            + "reason=\"\(NmapVocabulary.reason(result.state, endpoint.transport))\" reason_ttl=\"0\"/>"
        if let primary = result.primary {
            text += service(primary)
        }
        return text + "</port>\n</ports>\n</host>\n"
    }

    /// `runstats` and the closing `nmaprun`.
    public mutating func footer(finishedAt date: Date) -> String {
        let elapsed = max(0, date.timeIntervalSince(startedAt ?? date))
        let timestr = ReportTimestamp.ctime(date, timeZone: timeZone)
        let count = hosts.count
        let plural = count == 1 ? "" : "es"
        let summary = "\(run.branding.program) done at \(timestr); \(count) IP address\(plural) scanned in "
            + String(format: "%.2f", elapsed) + " seconds"
        return "<runstats><finished time=\"\(Int(date.timeIntervalSince1970))\" timestr=\"\(timestr)\" "
            + "summary=\"\(attr(summary))\" elapsed=\"\(String(format: "%.2f", elapsed))\" exit=\"success\"/>"
            + "<hosts up=\"\(count)\" down=\"0\" total=\"\(count)\"/>\n</runstats>\n</nmaprun>\n"
    }

    private func service(_ identification: Identification) -> String {
        let version = identification.version
        var attributes = [("name", identification.service)]
        let optional: [(String, String?)] = [
            ("product", version.product), ("version", version.version), ("extrainfo", version.info),
            ("hostname", version.hostname), ("ostype", version.operatingSystem), ("devicetype", version.deviceType),
            ("tunnel", identification.isTunnelled ? "ssl" : nil),
        ]
        for (name, value) in optional {
            if let value, !value.isEmpty { attributes.append((name, value)) }
        }
        attributes += [("method", "probed"), ("conf", "10")]
        let rendered = attributes.map { "\($0.0)=\"\(attr($0.1))\"" }.joined(separator: " ")
        guard !version.cpes.isEmpty else { return "<service \(rendered)/>" }
        let cpes = version.cpes.map { "<cpe>\(attr($0))</cpe>" }.joined()
        return "<service \(rendered)>\(cpes)</service>"
    }

    /// Text safe inside an XML comment, which may not contain `--` (XML 1.0, section 2.5) nor end in `-`.
    private func comment(_ text: String) -> String {
        var safe = XMLEscaping.escape(text)
        while safe.contains("--") { safe = safe.replacingOccurrences(of: "--", with: "-") }
        return safe.hasSuffix("-") ? safe + " " : safe
    }

    private func attr(_ text: String) -> String {
        XMLEscaping.escape(text)
    }
}
