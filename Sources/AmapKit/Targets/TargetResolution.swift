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
    /// - Parameters:
    ///   - preferIPv6: a name's IPv6 address first, when it has one.
    ///   - ipv6Only: amap's `-6`: a name's IPv6 addresses only; a name without one is an error.
    ///   - resolveNames: false looks nothing up: a name stays the endpoint's address, for a proxy that resolves
    ///     names itself (`socks5h://`, HTTP CONNECT), so that no lookup leaves this machine.
    /// - Throws: ``EndpointResolver/ResolveError`` for the first name that does not resolve.
    public static func resolve(
        _ job: ScanJob,
        order: EndpointOrder = .natural,
        preferIPv6: Bool = false,
        ipv6Only: Bool = false,
        resolveNames: Bool = true
    ) async throws -> ResolvedEndpoints {
        var resolved: [String: String] = [:]
        for name in hostNames(in: job) where resolveNames {
            var addresses = try await EndpointResolver.addresses(of: name, preferIPv6: preferIPv6 || ipv6Only)
            if ipv6Only {
                let found = addresses
                addresses = found.filter { $0.contains(":") }
                if addresses.isEmpty {
                    throw EndpointResolver.ResolveError(
                        host: name, reason: "no IPv6 address (-6 uses IPv6 addresses only; it has "
                            + found.joined(separator: ", ") + ")")
                }
            }
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
