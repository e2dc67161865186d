import AmapModel
import Foundation

/// nmap-style XML (`-oX`): `nmaprun` / `host` / `ports` / `port` / `state` / `service` with `cpe` children.
///
/// One `<host>` element per address holding all of that address's ports, as nmap writes it. Output still streams
/// host by host: with a ``NmapHostPlan`` an address's element is written when its last port has finished; every
/// host still held (no plan, an address the plan does not know, an interrupted scan) is written by
/// ``footer(finishedAt:)``, so nothing found is lost. More than 25 ports of one non-open state become nmap's `<extraports>`. Hosts where every
/// port is `filtered` are down: counted in `<runstats>`, not written (nmap writes down hosts only when verbose).
/// Identified services carry `method="probed" conf="10"`; ports without an identification have no `<service>`.
/// Every attribute value passes through ``XMLEscaping``.
public struct NmapXMLFormatter: ReportFormatter {
    /// The run's command line, branding and port filter.
    public let run: NmapRunInfo
    /// How many endpoints each address has, when known.
    public let plan: NmapHostPlan?
    /// The zone `startstr` and `timestr` are printed in.
    public let timeZone: TimeZone
    private var startedAt: Date?
    private var held: [String: NmapHostRecord] = [:]
    private var nextSequence = 0
    /// Every address seen, and whether it was up (a later record of the same address can only turn it up).
    private var hostStates: [String: Bool] = [:]

    /// Creates a formatter; `plan` lets it write each host as soon as the host is complete.
    public init(run: NmapRunInfo, plan: NmapHostPlan? = nil, timeZone: TimeZone = .current) {
        self.run = run
        self.plan = plan
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

    /// The `<host>` element of an address whose last planned port this result finishes; "" otherwise.
    public mutating func format(_ event: ScanEvent) -> String {
        guard case .finished(let result) = event else { return "" }
        let address = result.endpoint.address
        var record: NmapHostRecord
        if let existing = held.removeValue(forKey: address) {
            record = existing
        } else {
            record = NmapHostRecord(address: address, sequence: nextSequence)
            nextSequence += 1
        }
        record.add(result)
        if let expected = plan?.endpointCount(of: address), record.finishedCount >= expected {
            return emit(record)
        }
        held[address] = record
        return ""
    }

    /// The hosts still held, in the order they first appeared, then `runstats` and the closing `nmaprun`.
    public mutating func footer(finishedAt date: Date) -> String {
        var text = ""
        for record in held.values.sorted(by: { $0.sequence < $1.sequence }) { text += emit(record) }
        held = [:]
        let elapsed = max(0, date.timeIntervalSince(startedAt ?? date))
        let timestr = ReportTimestamp.ctime(date, timeZone: timeZone)
        let total = hostStates.count
        let up = hostStates.values.filter { $0 }.count
        let plural = total == 1 ? "" : "es"
        let summary = "\(run.branding.program) done at \(timestr); \(total) IP address\(plural) (\(up) host"
            + "\(up == 1 ? "" : "s") up) scanned in " + String(format: "%.2f", elapsed) + " seconds"
        return text
            + "<runstats><finished time=\"\(Int(date.timeIntervalSince1970))\" timestr=\"\(timestr)\" "
            + "summary=\"\(attr(summary))\" elapsed=\"\(String(format: "%.2f", elapsed))\" exit=\"success\"/>"
            + "<hosts up=\"\(up)\" down=\"\(total - up)\" total=\"\(total)\"/>\n</runstats>\n</nmaprun>\n"
    }

    private mutating func emit(_ record: NmapHostRecord) -> String {
        hostStates[record.address] = (hostStates[record.address] ?? false) || record.isUp
        return record.render(includesEverything: run.includesClosedPorts)
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
