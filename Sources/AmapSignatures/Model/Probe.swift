import AmapModel

/// A trigger: bytes sent to a port to draw a response (amap's trigger, nmap's `Probe`).
///
/// The NULL probe (nmap's `Probe TCP NULL q||`) is the one with an empty payload: connect and listen.
public struct Probe: Sendable {
    /// The probe's name (`GetRequest`, amap's `http`). Names may repeat across transports.
    public var name: String
    /// The transport the probe is sent over.
    public var transport: Transport
    /// The bytes to send; empty for the NULL probe.
    public var payload: [UInt8]
    /// Ports on which this probe is likely to succeed (nmap `ports`, amap's port hints).
    public var ports: PortSet
    /// Ports on which it is likely to succeed inside TLS (nmap `sslports`).
    public var sslPorts: PortSet
    /// nmap rarity 1…9: lower is more generally useful. Defaults to 5.
    public var rarity: Int
    /// amap's harmful flag: the trigger may crash or disturb the service (`-H` skips it).
    public var isHarmful: Bool
    /// How long to wait for a response (nmap `totalwaitms`), in milliseconds; nil means the engine decides.
    public var totalWaitMilliseconds: Int?
    /// nmap `tcpwrappedms`: a close with no data before this many ms means "tcpwrapped".
    public var tcpWrappedMilliseconds: Int?
    /// Names of probes whose signatures are also tried for this probe's responses (nmap `fallback`).
    public var fallbackNames: [String]
    /// nmap's `no-payload`: not to be used as a port-scan payload.
    public var isNoPayload: Bool
    /// A UDP probe whose answer comes from another port of the same host (TFTP's new transfer identifier): it is
    /// sent from an unconnected socket that takes datagrams from any port of the target's address. Such a socket
    /// does not see ICMP port unreachable, so this probe alone cannot find a port closed.
    public var acceptsAnyReplyPort: Bool
    /// Where the probe was defined.
    public var location: SourceLocation
    /// amap 5.4 trigger names this probe stands for (`http`, `ssl`, `ms-sql`), so that amap's `-p NAME` selects it
    /// too; from a `#@ amap NAME…` line in the built-in database.
    public var amapAliases: [String] = []
    /// The probe's own match and softmatch lines, in file order (nmap style; empty for amap triggers,
    /// whose responses are matched against the database's response signatures).
    public var signatures: [Signature]

    /// Creates a probe.
    public init(
        name: String,
        transport: Transport,
        payload: [UInt8],
        ports: PortSet = PortSet(),
        sslPorts: PortSet = PortSet(),
        rarity: Int = Probe.defaultRarity,
        isHarmful: Bool = false,
        totalWaitMilliseconds: Int? = nil,
        tcpWrappedMilliseconds: Int? = nil,
        fallbackNames: [String] = [],
        isNoPayload: Bool = false,
        acceptsAnyReplyPort: Bool = false,
        location: SourceLocation,
        signatures: [Signature] = []
    ) {
        self.name = name
        self.transport = transport
        self.payload = payload
        self.ports = ports
        self.sslPorts = sslPorts
        self.rarity = rarity
        self.isHarmful = isHarmful
        self.totalWaitMilliseconds = totalWaitMilliseconds
        self.tcpWrappedMilliseconds = tcpWrappedMilliseconds
        self.fallbackNames = fallbackNames
        self.isNoPayload = isNoPayload
        self.acceptsAnyReplyPort = acceptsAnyReplyPort
        self.location = location
        self.signatures = signatures
    }

    /// nmap's default rarity when a probe has no `rarity` line.
    public static let defaultRarity = 5

    /// True when amap's `-p NAME` selects this probe: NAME is its name or one of its amap aliases.
    public func answers(toName name: String) -> Bool {
        self.name == name || amapAliases.contains(name)
    }

    /// True for the NULL probe: nothing is sent, the banner is awaited.
    public var isNull: Bool { payload.isEmpty }
}
