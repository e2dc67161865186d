import AmapModel

/// Reads nmap XML output (`-oX`) and masscan's nmap-shaped XML output (`-oX`).
///
/// Per `<host>`: the first `<address>` whose `addrtype` is `ipv4` or `ipv6` (MAC addresses are
/// skipped), and each `<port protocol="tcp|udp" portid="N">` whose `<state state="...">` is
/// exactly `open`. The document is read by ``XMLPullReader``: entities declared in a DTD are never
/// expanded and nothing outside the file is fetched. A document cut short (an interrupted scan's file) keeps the
/// hosts whose `</host>` was read and reports ``ImportWarning/truncated(format:line:inside:completeHosts:)``; any
/// other error refuses the file.
public enum XMLScanImporter {
    /// Parses XML output; `format` only names the input in error messages.
    public static func parse(
        _ text: String,
        format: ImportFormat = .nmapXML,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        try read(text, format: format, options: options).endpoints
    }

    /// Parses XML output, keeping the complete hosts of a document cut short (with a warning).
    public static func read(
        _ text: String,
        format: ImportFormat = .nmapXML,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> ImportResult {
        var reader = XMLPullReader(text)
        var hosts = HostReader(collector: ImportCollector(format: format, options: options))
        while true {
            let event: XMLEvent?
            do throws(XMLReadError) {
                event = try reader.next()
            } catch {
                if case .truncated(let inside) = error.kind, hosts.completeHosts > 0 {
                    let warning = ImportWarning.truncated(
                        format: format, line: error.line, inside: inside, completeHosts: hosts.completeHosts)
                    return ImportResult(endpoints: hosts.collector.endpoints, warnings: [warning])
                }
                throw .malformed(format: format, line: error.line, reason: error.reason)
            }
            guard let event else { break }
            switch event {
            case .start(let tag):
                try hosts.start(tag)
            case .empty(let tag):
                try hosts.start(tag)
                try hosts.end(tag.name)
            case .end(let name, _):
                try hosts.end(name)
            }
        }
        return ImportResult(endpoints: hosts.collector.endpoints)
    }

    /// Collects the open ports of each `<host>` from the tags of the document.
    private struct HostReader {
        var collector: ImportCollector
        private var inHost = false
        private var host: String?
        private var hostLine = 0
        private var openPorts: [(port: UInt16, transport: Transport)] = []
        private var currentPort: (port: UInt16, transport: Transport)?
        /// The `<host>` elements whose end tag was read.
        private(set) var completeHosts = 0

        init(collector: ImportCollector) {
            self.collector = collector
        }

        mutating func start(_ tag: XMLTag) throws(ImportError) {
            switch tag.name {
            case "host":
                inHost = true
                host = nil
                hostLine = tag.line
                openPorts = []
            case "address" where inHost && host == nil:
                let type = tag.value(of: "addrtype") ?? "ipv4"
                guard type == "ipv4" || type == "ipv6" else { return }
                host = try collector.host((tag.value(of: "addr") ?? "")[...], line: tag.line)
            case "port" where inHost:
                currentPort = nil
                guard let proto = tag.value(of: "protocol"), let transport = Transport(rawValue: proto) else {
                    return
                }
                let port = try collector.port((tag.value(of: "portid") ?? "")[...], line: tag.line)
                currentPort = (port, transport)
            case "state" where inHost:
                if tag.value(of: "state") == "open", let currentPort { openPorts.append(currentPort) }
            default:
                break
            }
        }

        mutating func end(_ name: String) throws(ImportError) {
            switch name {
            case "port":
                currentPort = nil
            case "host":
                inHost = false
                completeHosts += 1
                guard !openPorts.isEmpty else { return }
                guard let host else {
                    let reason = "<host> with open ports has no address"
                    throw .malformed(format: collector.format, line: hostLine, reason: reason)
                }
                for entry in openPorts {
                    try collector.add(host: host, port: entry.port, transport: entry.transport, line: hostLine)
                }
            default:
                break
            }
        }
    }
}
