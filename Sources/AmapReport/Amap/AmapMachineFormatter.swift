import AmapModel
import Foundation

/// amap's machine-readable log (`-m -o FILE`): colon-separated lines
/// `IP:PORT:PROTO:STATUS:SSL:ID:PRINTABLE:FULL` between `#` comment lines.
///
/// One line per identification, written when it is found; in mapping mode one `unidentified` line per
/// port that ended without an ID. The last field may contain colons, and IPv6 addresses (`[::1]`) do
/// too: parse by splitting into at most 8 fields after handling brackets.
public struct AmapMachineFormatter: ReportFormatter {
    /// When the `unidentified` lines are written.
    public enum UnidentifiedPlacement: Sendable, Hashable {
        /// All together before the closing comments, as amap does.
        case atEnd
        /// As soon as each port finishes, so an interrupted scan loses nothing.
        case streaming
    }

    /// The run mode (`-A`, `-B`, `-P`).
    public let mode: AmapReportMode
    /// Not `-q`: write `unidentified` lines and the `# Unidentified ports` count.
    public let listsUnidentified: Bool
    /// When `unidentified` lines are written.
    public let unidentifiedPlacement: UnidentifiedPlacement
    /// Program name and version.
    public let branding: ReportBranding
    /// The zone the start and finish times are printed in.
    public let timeZone: TimeZone

    /// The column names, as amap writes them in the second comment line.
    public static let columnsComment =
        "# IP_ADDRESS:PORT:PROTOCOL:PORT_STATUS:SSL:IDENTIFICATION:PRINTABLE_BANNER:FULL_BANNER"
    /// The ID field of a port nothing identified.
    public static let unidentifiedID = "unidentified"

    private var firstUnrecognized: [Endpoint: (response: [UInt8], overTLS: Bool)] = [:]
    private var deferredLines: [String] = []
    private var unidentifiedCount = 0

    /// Creates a formatter.
    public init(
        mode: AmapReportMode = .mapping,
        listsUnidentified: Bool = true,
        unidentifiedPlacement: UnidentifiedPlacement = .atEnd,
        branding: ReportBranding = .swiftAmap,
        timeZone: TimeZone = .current
    ) {
        self.mode = mode
        self.listsUnidentified = listsUnidentified
        self.unidentifiedPlacement = unidentifiedPlacement
        self.branding = branding
        self.timeZone = timeZone
    }

    /// `# amap … started at … - MAPPING mode` and the column names.
    public mutating func header(startedAt date: Date) -> String {
        let stamp = ReportTimestamp.amap(date, timeZone: timeZone)
        return "# " + branding.startLine(date: stamp, mode: mode.headerWord(inLog: true)) + "\n"
            + Self.columnsComment + "\n"
    }

    /// The line for one event, if it has one.
    public mutating func format(_ event: ScanEvent) -> String {
        switch event {
        case .identified(let endpoint, let identification, let response, let probe, let overTLS):
            // An RPC-pass line has no banner (amap); the printable field gives the program and versions instead
            // when the identification has them (the built-in database's `RPC #100000 v2-4`).
            let printable = probe == Evidence.rpcPassProbeName ? identification.version.info.map {
                TerminalEscaping.escape($0).replacingOccurrences(of: ":", with: "")
            } : nil
            return line(endpoint, status: "open", ssl: overTLS || identification.isTunnelled,
                        id: identification.service, banner: response, printable: printable)
        case .unrecognized(let endpoint, let response, _, let overTLS):
            if firstUnrecognized[endpoint] == nil {
                firstUnrecognized[endpoint] = (response, overTLS)
            }
            return ""
        case .banner(let endpoint, let bytes):
            return line(endpoint, status: "open", ssl: false, id: Self.unidentifiedID, banner: bytes)
        case .portState(let endpoint, let state):
            guard state == .open || state == .openFiltered else { return "" }
            return line(endpoint, status: Self.status(state), ssl: false, id: Self.unidentifiedID, banner: [])
        case .warning:
            return ""
        case .finished(let result):
            return finished(result)
        }
    }

    /// `# Unidentified ports: N.` (mapping mode, unless `-q`) and the finish comment.
    public mutating func footer(finishedAt date: Date) -> String {
        var text = ""
        if mode == .mapping && listsUnidentified {
            text += deferredLines.joined()
            deferredLines.removeAll()
            let count = unidentifiedCount == 0 ? "none" : "\(unidentifiedCount)"
            text += "# Unidentified ports: \(count).\n"
        }
        let stamp = ReportTimestamp.amap(date, timeZone: timeZone)
        return text + "# " + branding.finishLine(date: stamp) + "\n"
    }

    /// amap's PORT_STATUS words: `open`, `closed`, `timeout` (no answer to the connection attempt),
    /// `open or filtered`; a port a local error left unscanned has the ``ScanStatus`` word `local-resource-error`.
    static func status(_ state: PortState) -> String {
        switch state {
        case .open: "open"
        case .closed: "closed"
        case .filtered: "timeout"
        case .openFiltered: "open or filtered"
        case .unknown: ScanStatus.localResourceError.rawValue
        }
    }

    private mutating func finished(_ result: PortResult) -> String {
        let endpoint = result.endpoint
        defer { firstUnrecognized[endpoint] = nil }
        guard mode == .mapping, listsUnidentified, result.identifications.isEmpty else { return "" }
        unidentifiedCount += 1
        let stored = firstUnrecognized[endpoint]
        let text = line(
            endpoint,
            status: Self.status(result.state),
            ssl: (result.tls != nil && result.tls?.isStartTLS != true) || stored?.overTLS == true,
            id: Self.unidentifiedID,
            banner: stored?.response ?? result.banner ?? []
        )
        switch unidentifiedPlacement {
        case .streaming:
            return text
        case .atEnd:
            deferredLines.append(text)
            return ""
        }
    }

    private func line(_ endpoint: Endpoint, status: String, ssl: Bool, id: String, banner: [UInt8],
                      printable: String? = nil) -> String {
        // An ID comes from a signature file, not the network, but a colon in it would shift every later
        // field, so it is escaped like any other unsafe character.
        let safeID = TerminalEscaping.escape(id).replacingOccurrences(of: ":", with: "\\x3a")
        return AmapText.machineEndpoint(endpoint) + ":\(status):\(ssl ? "SSL" : ""):\(safeID):"
            + (printable ?? AmapBanner.printable(banner)) + ":" + AmapBanner.full(banner) + "\n"
    }
}
