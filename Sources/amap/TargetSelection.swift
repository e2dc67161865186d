import AmapEngine
import AmapSignatures
import AmapTargets
import Foundation

/// The endpoints a scan visits: positional `TARGET PORT…` groups and `-i FILE` imports, with host names resolved
/// once before the scan starts.
struct TargetSelection {
    let options: ScanOptions

    func endpoints() async throws -> ResolvedEndpoints {
        let transport: Transport = options.udp ? .udp : .tcp
        var groups: [TargetGroup] = []
        if !options.positional.isEmpty {
            groups = try PositionalArguments.split(options.positional, defaultTransport: transport)
        }
        var listed: [Endpoint] = []
        if let input = options.inputFile {
            let importOptions = ImportOptions(defaultTransport: transport)
            if input == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                listed = try TargetImporter.parse(bytes: data, options: importOptions)
            } else {
                listed = try TargetFile.read(path: input, options: importOptions)
            }
        }
        let job = try ScanJob(groups: groups, endpoints: listed)
        // Names are resolved once, up front (amap did the same); addresses stay lazy, so a /16 is never listed.
        var names = Set<String>()
        for group in groups {
            for target in group.targets {
                if case .hostName(let name) = target.kind { names.insert(name) }
            }
        }
        for endpoint in listed where !EndpointResolver.isNumeric(endpoint.host) { names.insert(endpoint.host) }
        var resolved: [String: String] = [:]
        for name in names.sorted() {
            let addresses = try await EndpointResolver.addresses(of: name, preferIPv6: options.ipv6)
            guard let first = addresses.first else {
                throw EndpointResolver.ResolveError(host: name, reason: "no address")
            }
            resolved[name] = first
        }
        return ResolvedEndpoints(job: job, resolved: resolved)
    }
}

/// A job's endpoints with host names replaced by the addresses resolved for them, produced lazily.
struct ResolvedEndpoints: Sequence, Sendable {
    let job: ScanJob
    let resolved: [String: String]

    var count: UInt64 { job.count }

    func makeIterator() -> some IteratorProtocol<Endpoint> {
        var base = job.endpoints.makeIterator()
        let resolved = self.resolved
        return AnyIterator {
            guard var endpoint = base.next() else { return nil }
            if let address = resolved[endpoint.host] { endpoint.address = address }
            return endpoint
        }
    }
}
