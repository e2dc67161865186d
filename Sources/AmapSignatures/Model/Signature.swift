import AmapModel

/// A response signature: a regex over the bytes a port sent, naming the service (nmap `match`/`softmatch`,
/// amap's appdefs.resp line, or a line of our own database).
public struct Signature: Sendable {
    /// Hard signatures end identification; soft ones name the service and let probing go on.
    public enum Strength: String, Sendable, Hashable, Codable {
        /// nmap `match`, every amap response line.
        case hard
        /// nmap `softmatch`.
        case soft
    }

    /// The service name (`ssh`, `http`); an nmap `ssl/` prefix is stripped into `isTunnelled`.
    public var service: String
    /// Hard or soft.
    public var strength: Strength
    /// The compiled regex.
    public var pattern: CompiledPattern
    /// Version templates (nmap `p/ v/ i/ h/ o/ d/ cpe:/`), unexpanded.
    public var templates: VersionTemplates
    /// nmap's `ssl/` prefix: the service is known to speak inside TLS already.
    public var isTunnelled: Bool
    /// amap's length field: the response must be this long (inclusive); nil means any length.
    public var lengthRange: ClosedRange<Int>?
    /// amap's trigger restriction: the response must answer one of these triggers; nil means any trigger.
    public var triggerNames: [String]?
    /// Transports the signature applies to (amap lines may say tcp, udp or both).
    public var transports: Set<Transport>
    /// Where the line was defined.
    public var location: SourceLocation

    /// Creates a signature.
    public init(
        service: String,
        strength: Strength = .hard,
        pattern: CompiledPattern,
        templates: VersionTemplates = VersionTemplates(),
        isTunnelled: Bool = false,
        lengthRange: ClosedRange<Int>? = nil,
        triggerNames: [String]? = nil,
        transports: Set<Transport> = [.tcp, .udp],
        location: SourceLocation
    ) {
        self.service = service
        self.strength = strength
        self.pattern = pattern
        self.templates = templates
        self.isTunnelled = isTunnelled
        self.lengthRange = lengthRange
        self.triggerNames = triggerNames
        self.transports = transports
        self.location = location
    }

    /// True for nmap's `ssl`/`dtls` and amap's `ssl`/`ssl-*` names: a hit means "restart inside TLS".
    public var requestsTLSRestart: Bool {
        strength == .hard && (service == "ssl" || service == "dtls" || service.hasPrefix("ssl-"))
    }
}
