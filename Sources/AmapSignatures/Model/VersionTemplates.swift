/// A signature's unexpanded version templates: the text between the delimiters of nmap's
/// `p/…/ v/…/ i/…/ h/…/ o/…/ d/…/ cpe:/…/`, as raw bytes with `$1`, `$P()`, `$SUBST()` and `$I()` in place.
public struct VersionTemplates: Sendable, Hashable {
    /// `p/`: product.
    public var product: [UInt8]?
    /// `v/`: version.
    public var version: [UInt8]?
    /// `i/`: extra info.
    public var info: [UInt8]?
    /// `h/`: host name.
    public var hostname: [UInt8]?
    /// `o/`: operating system.
    public var operatingSystem: [UInt8]?
    /// `d/`: device type.
    public var deviceType: [UInt8]?
    /// `cpe:/…`: each CPE template, including its `cpe:/` prefix.
    public var cpes: [[UInt8]]

    /// Creates templates; every field is optional.
    public init(
        product: [UInt8]? = nil,
        version: [UInt8]? = nil,
        info: [UInt8]? = nil,
        hostname: [UInt8]? = nil,
        operatingSystem: [UInt8]? = nil,
        deviceType: [UInt8]? = nil,
        cpes: [[UInt8]] = []
    ) {
        self.product = product
        self.version = version
        self.info = info
        self.hostname = hostname
        self.operatingSystem = operatingSystem
        self.deviceType = deviceType
        self.cpes = cpes
    }

    /// True when the signature has no templates at all.
    public var isEmpty: Bool {
        product == nil && version == nil && info == nil && hostname == nil && operatingSystem == nil
            && deviceType == nil && cpes.isEmpty
    }
}
