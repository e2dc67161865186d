import AmapEngine
import AmapSignatures
import AmapTargets

/// Resolves the host names of a job once, before the scan starts (amap did the same: one lookup per name, its first
/// address used for every port). Addresses stay lazy, so a /16 is never listed.
public enum TargetResolution {
    /// Every host name in `job` (targets of its groups and hosts of its listed endpoints), sorted.
    public static func hostNames(in job: ScanJob) -> [String] {
        var names = Set<String>()
        for group in job.groups {
            for target in group.targets {
                if case .hostName(let name) = target.kind { names.insert(name) }
            }
        }
        for endpoint in job.listedEndpoints where !EndpointResolver.isNumeric(endpoint.host) {
            names.insert(endpoint.host)
        }
        return names.sorted()
    }

    /// Looks up every name of `job` and returns its endpoints in `order` with the names' first addresses.
    ///
    /// With `resolveNames` false nothing is looked up here: a name stays the endpoint's address, for a proxy that
    /// resolves names itself (`socks5h://`, HTTP CONNECT), so that no lookup leaves this machine.
    ///
    /// - Throws: ``EndpointResolver/ResolveError`` for the first name that does not resolve.
    public static func resolve(
        _ job: ScanJob,
        order: EndpointOrder = .natural,
        preferIPv6: Bool = false,
        resolveNames: Bool = true
    ) async throws -> ResolvedEndpoints {
        var resolved: [String: String] = [:]
        for name in hostNames(in: job) where resolveNames {
            let addresses = try await EndpointResolver.addresses(of: name, preferIPv6: preferIPv6)
            guard let first = addresses.first else {
                throw EndpointResolver.ResolveError(host: name, reason: "no address")
            }
            resolved[name] = first
        }
        return ResolvedEndpoints(job: job, resolved: resolved, order: order)
    }

    /// True when `job` has a UDP endpoint (a UDP port of a target group, or a listed UDP endpoint).
    public static func hasUDP(_ job: ScanJob) -> Bool {
        job.groups.contains { !$0.ports.udp.isEmpty } || job.listedEndpoints.contains { $0.transport == .udp }
    }
}
