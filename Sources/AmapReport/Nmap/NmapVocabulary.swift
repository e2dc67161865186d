import AmapModel

/// nmap's words for things swift-amap knows under other names.
enum NmapVocabulary {
    /// The `reason` nmap gives for a port state found by a connect scan (TCP) or a UDP probe.
    static func reason(_ state: PortState, _ transport: Transport) -> String {
        switch (state, transport) {
        case (.open, .tcp): "syn-ack"
        case (.open, .udp): "udp-response"
        case (.closed, .tcp): "conn-refused"
        case (.closed, .udp): "port-unreach"
        case (.filtered, _), (.openFiltered, _): "no-response"
        case (.unknown, _): ScanStatus.localResourceError.rawValue
        }
    }

    /// The `reason` for one result: nmap's reason for its state, unless the scan ended in a way the state's usual
    /// reason would misstate (an unreachable network, a local error): then the ``ScanStatus`` word. An open port
    /// keeps its state's reason, since the connection did succeed.
    static func reason(_ result: PortResult) -> String {
        let transport = result.endpoint.transport
        guard result.state != .open, result.status != ScanStatus(defaultFor: result.state) else {
            return reason(result.state, transport)
        }
        return result.status.rawValue
    }

    /// `ipv4` or `ipv6`.
    static func addressType(_ endpoint: Endpoint) -> String {
        endpoint.isIPv6 ? "ipv6" : "ipv4"
    }

    /// nmap's version column: `product version (info)`, empty when none of them is known.
    static func versionText(_ info: VersionInfo) -> String {
        let head = [info.product, info.version].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        guard let extra = info.info, !extra.isEmpty else { return head }
        return head.isEmpty ? "(\(extra))" : "\(head) (\(extra))"
    }
}
