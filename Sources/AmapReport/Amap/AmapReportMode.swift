/// amap's three run modes; each has its own header word and line shapes.
public enum AmapReportMode: Sendable, Hashable {
    /// `-A` (default): identify services with triggers.
    case mapping
    /// `-B`: print the first bytes each port sends.
    case banner
    /// `-P`: report ports that accept a connection.
    case portscan

    /// The mode words ending the start line; the `-o` log says `MAPPING mode` where stdout says
    /// `APPLICATION MAPPING mode`.
    func headerWord(inLog: Bool) -> String {
        switch self {
        case .mapping: inLog ? "MAPPING mode" : "APPLICATION MAPPING mode"
        case .banner: "BANNER mode"
        case .portscan: "PORTSCAN mode"
        }
    }
}
