/// What the amap human output shows; each field maps to an amap flag.
public struct AmapHumanOptions: Sendable, Hashable {
    /// The run mode (`-A`, `-B`, `-P`).
    public var mode: AmapReportMode
    /// `-v`: add `(by trigger NAME) ` before `matches`.
    public var showsTrigger: Bool
    /// `-b`: append ` - banner: PRINTABLE` to each match line.
    public var appendsBanner: Bool
    /// Not `-U`: hex-dump unrecognized responses.
    public var dumpsUnrecognized: Bool
    /// `-d`: hex-dump identified responses too.
    public var dumpsIdentified: Bool
    /// Not `-q`: print the closing `Unidentified ports:` list.
    public var listsUnidentified: Bool
    /// swift-amap's extension: append ` (product version; info)` after the ID when the signature
    /// extracted version information. The ID stays the first token after `matches `.
    public var showsVersionDetail: Bool
    /// Port-scan mode over UDP: print amap's warning that UDP port scanning is unreliable.
    public var warnsUnreliableUDP: Bool
    /// `-v`: warn about each TCP port that refused the connection (amap prints it only when verbose).
    public var warnsRefused: Bool
    /// `-T`: the connect timeout in seconds, as amap's connect-timeout warning names it.
    public var connectTimeoutSeconds: Int
    /// `-C`: the connect attempts, as amap's connect-timeout warning names them ("retries").
    public var connectAttempts: Int

    /// Creates options; the defaults are amap's defaults plus version detail.
    public init(
        mode: AmapReportMode = .mapping,
        showsTrigger: Bool = false,
        appendsBanner: Bool = false,
        dumpsUnrecognized: Bool = true,
        dumpsIdentified: Bool = false,
        listsUnidentified: Bool = true,
        showsVersionDetail: Bool = true,
        warnsUnreliableUDP: Bool = false,
        warnsRefused: Bool = false,
        connectTimeoutSeconds: Int = 5,
        connectAttempts: Int = 3
    ) {
        self.warnsRefused = warnsRefused
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.connectAttempts = connectAttempts
        self.mode = mode
        self.showsTrigger = showsTrigger
        self.appendsBanner = appendsBanner
        self.dumpsUnrecognized = dumpsUnrecognized
        self.dumpsIdentified = dumpsIdentified
        self.listsUnidentified = listsUnidentified
        self.showsVersionDetail = showsVersionDetail
        self.warnsUnreliableUDP = warnsUnreliableUDP
    }
}
