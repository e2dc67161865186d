/// What a signature's version templates produced: nmap's `p/ v/ i/ h/ o/ d/ cpe:/` fields.
public struct VersionInfo: Sendable, Hashable, Codable {
    /// Product or vendor name (`p/`), at most 80 bytes.
    public var product: String?
    /// Version (`v/`), at most 80 bytes.
    public var version: String?
    /// Extra information (`i/`), at most 256 bytes.
    public var info: String?
    /// Host name the service announced (`h/`), at most 80 bytes.
    public var hostname: String?
    /// Operating system (`o/`), at most 32 bytes.
    public var operatingSystem: String?
    /// Device type (`d/`), at most 32 bytes.
    public var deviceType: String?
    /// CPE names (`cpe:/a:…`), each at most 80 bytes, in template order.
    public var cpes: [String]

    /// Creates version information; every field is optional.
    public init(
        product: String? = nil,
        version: String? = nil,
        info: String? = nil,
        hostname: String? = nil,
        operatingSystem: String? = nil,
        deviceType: String? = nil,
        cpes: [String] = []
    ) {
        self.product = product
        self.version = version
        self.info = info
        self.hostname = hostname
        self.operatingSystem = operatingSystem
        self.deviceType = deviceType
        self.cpes = cpes
    }

    /// True when no field is set.
    public var isEmpty: Bool {
        product == nil && version == nil && info == nil && hostname == nil && operatingSystem == nil
            && deviceType == nil && cpes.isEmpty
    }
}
