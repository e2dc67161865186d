/// The name and version a report announces, and where users are asked to send unknown responses.
///
/// amap's start line is `amap v5.4 (www.thc.org/thc-amap) started at …`; parsers anchor on the
/// leading program name, ` v`, ` started at ` and the trailing `mode`, which this keeps.
public struct ReportBranding: Sendable, Hashable {
    /// The program name that starts the header and footer lines.
    public var program: String
    /// The version, printed after a `v`.
    public var version: String
    /// The text in parentheses after the version (amap prints its web address there).
    public var resource: String
    /// Who should receive unrecognized responses (the end of `Please send this output … to X:`).
    public var contact: String

    /// Creates a branding.
    public init(program: String, version: String, resource: String, contact: String) {
        self.program = program
        self.version = version
        self.resource = resource
        self.contact = contact
    }

    /// swift-amap's own: `amap v5.4-swift (swift-amap) started at …`. The version keeps amap's `5.4`
    /// so tools that check for it keep working, with a suffix that tells the two apart.
    public static let swiftAmap = ReportBranding(
        program: "amap",
        version: "5.4-swift",
        resource: "swift-amap",
        contact: "the swift-amap issue tracker"
    )

    /// `amap v5.4-swift (swift-amap) started at DATE - MODE`.
    func startLine(date: String, mode: String) -> String {
        "\(program) v\(version) (\(resource)) started at \(date) - \(mode)"
    }

    /// `amap v5.4-swift finished at DATE`.
    func finishLine(date: String) -> String {
        "\(program) v\(version) finished at \(date)"
    }
}
