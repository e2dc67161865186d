import AmapModel

/// The ports that ended without an identification, listed at the end of an amap report.
///
/// amap lists them in its scan-plan order; results arrive in completion order here, so the list is
/// ordered by host (in the order hosts first finished), then port, then transport, which is
/// reproducible whatever the timing.
struct UnidentifiedPorts: Sendable {
    private var hostOrder: [String: Int] = [:]
    private(set) var endpoints: [Endpoint] = []

    /// Records a finished result; only results without an identification are kept.
    mutating func record(_ result: PortResult) {
        let endpoint = result.endpoint
        if hostOrder[endpoint.address] == nil { hostOrder[endpoint.address] = hostOrder.count }
        guard result.identifications.isEmpty else { return }
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
