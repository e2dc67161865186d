import AmapKit
import Foundation

/// The endpoints a scan visits: positional `TARGET PORT…` groups and `-i FILE` imports, in natural order or one
/// `--shard` in `--seed` order, with host names resolved once before the scan starts.
struct TargetSelection {
    let options: ScanOptions

    func job() throws -> ScanJob {
        let transport: Transport = options.udp ? .udp : .tcp
        var groups: [TargetGroup] = []
        // With -i, arguments that are all port specifications are the ports of the file's bare hosts.
        var filePorts: PortList?
        if options.inputFile != nil, !options.positional.isEmpty,
            options.positional.allSatisfy(PortList.looksLikePortSpec)
        {
            filePorts = try options.positional.reduce(into: PortList()) { list, text in
                list.formUnion(try PortList.parse(text, defaultTransport: transport))
            }
        } else if !options.positional.isEmpty {
            groups = try PositionalArguments.split(
                options.positional, defaultTransport: transport, allowHuge: options.allowHugeScan)
        }
        var listed: [Endpoint] = []
        if let input = options.inputFile {
            let importOptions = ImportOptions(
                defaultPorts: filePorts,
                defaultTransport: transport,
                endpointLimit: options.allowHugeScan ? nil : ImportOptions.defaultEndpointLimit)
            let result: ImportResult
            if input == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                result = try TargetImporter.read(bytes: data, options: importOptions)
            } else {
                result = try TargetFile.load(path: input, options: importOptions)
            }
            for warning in result.warnings {
                Terminal.standardError("Warning: \(input == "-" ? "standard input" : "'\(input)'"): \(warning)")
            }
            listed = result.endpoints
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
