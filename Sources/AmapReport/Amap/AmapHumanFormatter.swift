import AmapModel
import Foundation

/// amap's human-readable output: the stdout shape, or the `-o FILE` log shape.
///
/// Differences of the log from stdout, as in amap 5.4: the start line says `MAPPING mode`; there are
/// no blank lines; dumps are introduced by `Identified response from …` and `Please send output +
/// name of the application to …`; warnings are not logged. amap's reversed IPv6 brackets in the log
/// (`]::1[`) are not reproduced.
public struct AmapHumanFormatter: ReportFormatter {
    /// Where the text goes, which decides its shape.
    public enum Destination: Sendable, Hashable {
        /// Standard output.
        case terminal
        /// The `-o FILE` log (without `-m`).
        case log
    }

    /// The destination this formatter writes for.
    public let destination: Destination
    /// The flags that shape the output.
    public let options: AmapHumanOptions
    /// Program name, version and contact.
    public let branding: ReportBranding
    /// The zone the start and finish times are printed in.
    public let timeZone: TimeZone
    private var unidentified = UnidentifiedPorts()

    /// Creates a formatter.
    public init(
        destination: Destination = .terminal,
        options: AmapHumanOptions = AmapHumanOptions(),
        branding: ReportBranding = .swiftAmap,
        timeZone: TimeZone = .current
    ) {
        self.destination = destination
        self.options = options
        self.branding = branding
        self.timeZone = timeZone
    }

    private var isLog: Bool { destination == .log }
    private var blankLine: String { isLog ? "" : "\n" }

    /// The start line (and, on stdout, a blank line; in UDP port-scan mode amap's warning).
    public mutating func header(startedAt date: Date) -> String {
        let stamp = ReportTimestamp.amap(date, timeZone: timeZone)
        var text = branding.startLine(date: stamp, mode: options.mode.headerWord(inLog: isLog)) + "\n" + blankLine
        if options.mode == .portscan && options.warnsUnreliableUDP && !isLog {
            text += "Warning: UDP port scanning is highly unreliable against Linux, Cisco and other systems "
                + "that throttle ICMP error messages\n\n"
        }
        return text
    }

    /// The lines for one event.
    public mutating func format(_ event: ScanEvent) -> String {
        switch event {
        case .identified(let endpoint, let identification, let response, let probe, let overTLS):
            // An nmap `ssl/` line names a service known to be inside TLS even when matched outside the TLS pass.
            return identified(endpoint, identification, response: response, probe: probe,
                              overTLS: overTLS || identification.isTunnelled)
        case .unrecognized(let endpoint, let response, let probe, let overTLS):
            return unrecognized(endpoint, response: response, probe: probe, overTLS: overTLS)
        case .banner(let endpoint, let bytes):
            return "Banner on \(AmapText.endpoint(endpoint)) : \(AmapBanner.printable(bytes))\n"
        case .portState(let endpoint, let state):
            return portState(endpoint, state)
        case .warning(let endpoint, let warning):
            guard !isLog else { return "" }
            let place = endpoint.map { " (\(AmapText.endpoint($0)))" } ?? ""
            return "Warning: \(TerminalEscaping.escape(warning.description))\(place)\n"
        case .finished(let result):
            unidentified.record(result)
            if let details = result.tls, details.isStartTLS {
                return StartTLSLine.text(result.endpoint, details)
            }
            guard !isLog else { return "" }
            return Self.connectWarning(result, options: options)
        }
    }

    /// amap's warning for a port it disabled because it could not connect: a connect timeout after every attempt
    /// (always), a refusal over TCP (`-v` only), ICMP port unreachable over UDP; `-q` hides the last two.
    static func connectWarning(_ result: PortResult, options: AmapHumanOptions) -> String {
        let place = AmapText.endpoint(result.endpoint)
        switch (result.state, result.endpoint.transport) {
        case (.filtered, .tcp):
            return "Warning: Could not connect (timeout \(options.connectTimeoutSeconds), retries "
                + "\(options.connectAttempts)) to \(place), disabling port\n"
        case (.closed, .tcp) where options.warnsRefused && options.listsUnidentified:
            return "Warning: Could not connect (refused) to \(place), disabling port\n"
        case (.closed, .udp) where options.listsUnidentified:
            return "Warning: Could not connect (unreachable) to \(place), disabling port\n"
        default:
            return ""
        }
    }

    /// The `Unidentified ports:` line (mapping mode, unless `-q`) and the finish line.
    public mutating func footer(finishedAt date: Date) -> String {
        var text = ""
        if options.mode == .mapping && options.listsUnidentified {
            text += blankLine + unidentifiedLine()
        }
        let stamp = ReportTimestamp.amap(date, timeZone: timeZone)
        return text + blankLine + branding.finishLine(date: stamp) + "\n"
    }

    private func identified(
        _ endpoint: Endpoint,
        _ identification: Identification,
        response: [UInt8],
        probe: String,
        overTLS: Bool
    ) -> String {
        let info = options.showsTrigger ? AmapText.trigger(probe) + " " : ""
        var line = "Protocol on \(AmapText.endpoint(endpoint))\(AmapText.sslText(overTLS))\(info)matches "
            + TerminalEscaping.escape(identification.service)
        if options.showsVersionDetail {
            line += AmapText.versionDetail(identification.version)
        }
        // amap prints RPC-pass matches without a banner, even with -b.
        if options.appendsBanner && probe != Evidence.rpcPassProbeName {
            line += " - banner: " + AmapBanner.printable(response)
        }
        line += "\n"
        if options.dumpsIdentified {
            let intro = isLog ? "Identified response from" : "Dump of identified response from"
            line += "\(intro) \(AmapText.endpoint(endpoint))\(AmapText.sslText(overTLS))\(AmapText.trigger(probe)):\n"
            line += HexDump.text(response)
        }
        return line
    }

    private func unrecognized(_ endpoint: Endpoint, response: [UInt8], probe: String, overTLS: Bool) -> String {
        var text = "Unrecognized response from \(AmapText.endpoint(endpoint))\(AmapText.sslText(overTLS))"
            + "\(AmapText.trigger(probe)) received.\n"
        if options.dumpsUnrecognized {
            let contact = TerminalEscaping.escape(branding.contact)
            text += isLog
                ? "Please send output + name of the application to \(contact):\n"
                : "Please send this output and the name of the application to \(contact):\n"
            text += HexDump.text(response)
        }
        return text
    }

    private func portState(_ endpoint: Endpoint, _ state: PortState) -> String {
        switch state {
        case .open: "Port on \(AmapText.endpoint(endpoint)) is OPEN\n"
        case .openFiltered: "Port on \(AmapText.endpoint(endpoint)) is OPEN or FILTERED\n"
        case .closed, .filtered, .unknown: ""
        }
    }

    /// amap: more than this many entries add a hint that `-q` hides the list.
    private static let quietHintThreshold = 10

    private func unidentifiedLine() -> String {
        let endpoints = unidentified.sorted
        guard !endpoints.isEmpty else { return "Unidentified ports: none.\n" }
        var line = "Unidentified ports:"
        for endpoint in endpoints {
            line += " " + AmapText.endpoint(endpoint)
        }
        line += " (total \(endpoints.count))."
        if !isLog && endpoints.count > Self.quietHintThreshold {
            line += " \t[Note: the -q option suppresses this listing]"
        }
        return line + "\n"
    }
}
