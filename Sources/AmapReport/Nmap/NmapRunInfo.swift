import AmapModel

/// What the nmap-style reports say about the run itself.
public struct NmapRunInfo: Sendable, Hashable {
    /// The command line as the user typed it (for `args=` / `as:`); escaped on output.
    public var arguments: String
    /// Program name and version.
    public var branding: ReportBranding
    /// Also write closed and filtered ports (nmap folds them into `extraports`; this writes each).
    public var includesClosedPorts: Bool

    /// Creates run information.
    public init(arguments: String, branding: ReportBranding = .swiftAmap, includesClosedPorts: Bool = false) {
        self.arguments = arguments
        self.branding = branding
        self.includesClosedPorts = includesClosedPorts
    }

    /// True when a result in `state` is written.
    func writes(_ state: PortState) -> Bool {
        includesClosedPorts || state == .open || state == .openFiltered || state == .unknown
    }
}
