import AmapModel

/// The ports that ended without an identification, listed at the end of an amap report.
///
/// amap lists them in its scan-plan order; results arrive in completion order here, so the list is
/// ordered by host (in the order hosts first finished), then port, then transport, which is
/// reproducible whatever the timing.
struct UnidentifiedPorts: Sendable {
    private var hostOrder: [String: Int] = [:]
    private(set) var endpoints: [Endpoint] = []

    /// Records a finished result; only open (or open|filtered UDP) results without an identification are kept: a
    /// port that refused or never answered the connection is not an unidentified service (its warning says so).
    mutating func record(_ result: PortResult) {
        let endpoint = result.endpoint
        if hostOrder[endpoint.address] == nil { hostOrder[endpoint.address] = hostOrder.count }
        guard result.identifications.isEmpty, result.state == .open || result.state == .openFiltered else { return }
        endpoints.append(endpoint)
    }

    /// The unidentified endpoints in report order.
    var sorted: [Endpoint] {
        endpoints.sorted { left, right in
            let leftHost = hostOrder[left.address] ?? 0
            let rightHost = hostOrder[right.address] ?? 0
            if leftHost != rightHost { return leftHost < rightHost }
            if left.port != right.port { return left.port < right.port }
            return left.transport.rawValue < right.transport.rawValue
        }
    }
}
