/// Everything learned about one endpoint once probing it has ended.
///
/// Not `Codable` on purpose: a result has one JSON form, the documented JSON Lines record (`docs/json-lines.md`),
/// which `JSONLinesRecord` (AmapReport, re-exported by AmapKit) writes exactly as `amap -oJ` does.
public struct PortResult: Sendable, Hashable {
    /// The endpoint.
    public var endpoint: Endpoint
    /// Open, closed, filtered, open|filtered.
    public var state: PortState
    /// How probing ended (success, connection-refused, …); see ``ScanStatus``.
    public var status: ScanStatus
    /// Identifications in the order they were found (amap may report several; nmap semantics one).
    public var identifications: [Identification]
    /// The first bytes the port sent (banner or first response), bounded.
    public var banner: [UInt8]?
    /// The probe whose answer `banner` is.
    public var bannerProbe: String?
    /// TLS details when the port spoke TLS.
    public var tls: TLSDetails?
    /// Why probing ended early, if it did (`connect timeout`, `too many open files`, …).
    public var note: String?

    /// Creates a result; `status` defaults to what `state` implies (``ScanStatus/init(defaultFor:)``).
    public init(
        endpoint: Endpoint,
        state: PortState,
        identifications: [Identification] = [],
        banner: [UInt8]? = nil,
        bannerProbe: String? = nil,
        tls: TLSDetails? = nil,
        note: String? = nil,
        status: ScanStatus? = nil
    ) {
        self.endpoint = endpoint
        self.state = state
        self.status = status ?? ScanStatus(defaultFor: state)
        self.identifications = identifications
        self.banner = banner
        self.bannerProbe = bannerProbe
        self.tls = tls
        self.note = note
    }

    /// The identification a report leads with: the first hard one, else the first soft one.
    public var primary: Identification? {
        identifications.first { !$0.isSoft } ?? identifications.first
    }
}
