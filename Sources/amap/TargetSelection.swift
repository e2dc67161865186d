import AmapKit
import Foundation

/// The endpoints a scan visits: positional `TARGET PORT…` groups and `-i FILE` imports, in natural order or one
/// `--shard` in `--seed` order, with host names resolved once before the scan starts.
struct TargetSelection {
    let options: ScanOptions

    func job() throws -> ScanJob {
        let transport: Transport = options.udp ? .udp : .tcp
        var groups: [TargetGroup] = []
        if !options.positional.isEmpty {
            groups = try PositionalArguments.split(
                options.positional, defaultTransport: transport, allowHuge: options.allowHugeScan)
        }
        var listed: [Endpoint] = []
        if let input = options.inputFile {
            let importOptions = ImportOptions(
                defaultTransport: transport,
                endpointLimit: options.allowHugeScan ? nil : ImportOptions.defaultEndpointLimit)
            if input == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                listed = try TargetImporter.parse(bytes: data, options: importOptions)
            } else {
                listed = try TargetFile.read(path: input, options: importOptions)
            }
        }
        return try ScanJob(groups: groups, endpoints: listed)
    }

    /// The endpoints in scan order; with `resolveNames` false, host names stay names (a proxy resolves them).
    func endpoints(resolveNames: Bool = true) async throws -> ResolvedEndpoints {
        let order = EndpointOrder(shard: try options.shard, seed: try options.seed)
        return try await TargetResolution.resolve(
            try job(), order: order, preferIPv6: options.ipv6, ipv6Only: options.ipv6, resolveNames: resolveNames)
    }
}
