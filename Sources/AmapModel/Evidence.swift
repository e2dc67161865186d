/// Why the matcher named a service: which probe drew the bytes and which signature line matched.
public struct Evidence: Sendable, Hashable, Codable {
    /// The probe (trigger) whose response matched.
    public var probeName: String
    /// The signature line that matched.
    public var signature: SourceLocation
    /// When the matching line belongs to another probe (an nmap fallback, the NULL probe, or a cross-probe
    /// match), that probe's name; nil when the line is the sending probe's own.
    public var matchedViaProbe: String?
    /// The capture groups' text (printable rendering), `$1` first.
    public var captures: [String]

    /// The probe name of an identification made by amap's RPC pass (a NULL call per ONC RPC program), which no
    /// signature file can define (amap's own files name a trigger `rpc`). Reports give such lines no banner, as amap
    /// does.
    public static let rpcPassProbeName = "rpc-pass"

    /// Creates evidence.
    public init(probeName: String, signature: SourceLocation, matchedViaProbe: String? = nil, captures: [String] = []) {
        self.probeName = probeName
        self.signature = signature
        self.matchedViaProbe = matchedViaProbe
        self.captures = captures
    }
}
