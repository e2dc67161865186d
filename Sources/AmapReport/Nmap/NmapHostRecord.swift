import AmapModel

/// The results of one address gathered for its nmap `<host>` element: every port of the address in one element,
/// as nmap writes it and as python-nmap, python-libnmap, ndiff and nmap.xsl (whose HTML ids are made from the
/// address) expect.
struct NmapHostRecord: Sendable {
    /// The numeric address.
    let address: String
    /// Order of first appearance in the run, for the hosts written together at the footer.
    let sequence: Int
    /// How many results arrived (duplicates included), compared with the plan's count.
    private(set) var finishedCount = 0
    private var isIPv6 = false
    private var names: [String] = []
    private var results: [PortKey: PortResult] = [:]

    /// More ports of a state than this are folded into `<extraports>` (open ports never are): the bound nmap applies
    /// (observed with nmap 7.93 here: 25 closed ports are listed, 26 become `extraports count="26"`).
    static let foldThreshold = 25

    init(address: String, sequence: Int) {
        self.address = address
        self.sequence = sequence
    }

    /// Adds a finished endpoint of this address; a second result for the same port keeps the first.
    mutating func add(_ result: PortResult) {
        finishedCount += 1
        let endpoint = result.endpoint
        isIPv6 = endpoint.isIPv6
        if endpoint.host != endpoint.address && !names.contains(endpoint.host) { names.append(endpoint.host) }
        let key = PortKey(transport: endpoint.transport, port: endpoint.port)
        guard results[key] == nil else { return }
        var kept = result
        kept.banner = nil  // the XML never shows it; a held host should not hold its bytes
        results[key] = kept
    }

    /// True when some port answered or may have (anything but `filtered`): nmap's host "up". A port left `unknown` by a
    /// local error counts, so that the port is written and the reader learns it was not scanned.
    var isUp: Bool {
        results.values.contains { $0.state != .filtered }
    }

    /// The `<host>` element, or "" for a host that is down when down hosts are not written.
    func render(includesEverything: Bool) -> String {
        let up = isUp
        guard up || includesEverything else { return "" }
        let status = up
            ? "<status state=\"up\" reason=\"user-set\" reason_ttl=\"0\"/>"
            : "<status state=\"down\" reason=\"no-response\" reason_ttl=\"0\"/>"
        var text = "<host>\(status)\n"
            + "<address addr=\"\(attr(address))\" addrtype=\"\(isIPv6 ? "ipv6" : "ipv4")\"/>\n<hostnames>\n"
        for name in names { text += "<hostname name=\"\(attr(name))\" type=\"user\"/>\n" }
        text += "</hostnames>\n<ports>"
        let ordered = results.sorted { $0.key < $1.key }.map(\.value)
        var counts: [PortState: Int] = [:]
        for result in ordered { counts[result.state, default: 0] += 1 }
        let folded = Set(counts.filter { state, count in
            state != .open && count > Self.foldThreshold && !includesEverything
        }.keys)
        for state in [PortState.closed, .filtered, .openFiltered] where folded.contains(state) {
            text += extraports(state, ordered.filter { $0.state == state })
        }
        for result in ordered where !folded.contains(result.state) {
            text += port(result)
        }
        return text + "</ports>\n</host>\n"
    }

    /// `<extraports state count>` with one `<extrareasons>` per transport, listing its ports.
    private func extraports(_ state: PortState, _ results: [PortResult]) -> String {
        var text = "<extraports state=\"\(state.rawValue)\" count=\"\(results.count)\">\n"
        for transport in [Transport.tcp, .udp] {
            let ports = results.filter { $0.endpoint.transport == transport }.map(\.endpoint.port)
            guard !ports.isEmpty else { continue }
            text += "<extrareasons reason=\"\(NmapVocabulary.reason(state, transport))\" count=\"\(ports.count)\" "
                + "proto=\"\(transport)\" ports=\"\(NmapPortRanges.text(ports))\"/>\n"
        }
        return text + "</extraports>\n"
    }

    private func port(_ result: PortResult) -> String {
        let endpoint = result.endpoint
        var text = "<port protocol=\"\(endpoint.transport)\" portid=\"\(endpoint.port)\">"
            + "<state state=\"\(result.state.rawValue)\" "
            + "reason=\"\(NmapVocabulary.reason(result))\" reason_ttl=\"0\"/>"
        if let primary = result.primary { text += service(primary) }
        if let details = result.tls { text += NmapSSLCertScript.element(details) }
        return text + "</port>\n"
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

    private func attr(_ text: String) -> String {
        XMLEscaping.escape(text)
    }

    /// A port of the host; sorts as nmap lists ports: TCP before UDP, then by number.
    private struct PortKey: Hashable, Comparable, Sendable {
        let transport: Transport
        let port: UInt16

        static func < (lhs: PortKey, rhs: PortKey) -> Bool {
            let left = lhs.transport == .tcp ? 0 : 1
            let right = rhs.transport == .tcp ? 0 : 1
            return (left, lhs.port) < (right, rhs.port)
        }
    }
}
