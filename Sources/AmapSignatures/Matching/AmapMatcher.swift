import AmapModel

/// amap 5.4's matching rules over the database's global response lines (appdefs.resp and our own amap-style lines).
///
/// A response is checked against **every** line, in file order. A line hits when its transports include the
/// response's transport, its length range (if any) admits the response's length, its trigger list (if any) names
/// the probe that drew the response, and its regex (compiled MULTILINE + CASELESS + DOTALL) finds a match anywhere.
/// Every hit is returned, as amap prints every one; the engine's `EndpointFindings` applies the per-port rules
/// (no ID twice, `-1`, nothing after `echo`). An `echo` hit is returned alone: amap stops matching on a port once it is known to echo,
/// since an echo port answers every trigger with the trigger and would otherwise be "identified" as all of them.
///
/// The response is matched whole; amap saw only the first 1,024 bytes of the first chunk, so the engine decides
/// how much to hand over.
public struct AmapMatcher: ResponseMatcher {
    /// The service name that ends matching on a port.
    public static let echoService = "echo"

    /// The response lines, in the order they are tried.
    public let signatures: [Signature]

    /// A matcher over `database.responseSignatures`.
    public init(database: SignatureDatabase) {
        self.signatures = database.responseSignatures
    }

    /// A matcher over the given lines, in order.
    public init(signatures: [Signature]) {
        self.signatures = signatures
    }

    /// Every line that hits, in line order; only the echo identification when an `echo` line hits.
    ///
    /// An empty response never matches: amap only matches data it received.
    public func identify(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool) -> [Identification] {
        guard !response.isEmpty else { return [] }
        var hits: [Identification] = []
        for signature in signatures {
            guard signature.transports.contains(transport) else { continue }
            if let range = signature.lengthRange, !range.contains(response.count) { continue }
            if let triggers = signature.triggerNames, !triggers.contains(probe.name) { continue }
            guard let match = signature.firstMatch(in: response) else { continue }
            let captures = (1..<max(1, match.groups.count)).map { index in
                match.capture(index, in: response).map(PrintableBytes.text) ?? ""
            }
            let version = signature.templates.isEmpty
                ? VersionInfo() : signature.templates.expand(match, subject: response)
            let identification = Identification(
                service: signature.service,
                isSoft: signature.strength == .soft,
                version: version,
                isTunnelled: tunnelled || signature.isTunnelled,
                evidence: Evidence(probeName: probe.name, signature: signature.location, captures: captures)
            )
            if signature.service == Self.echoService { return [identification] }
            hits.append(identification)
        }
        return hits
    }
}
