/// What the engine does with each endpoint.
public enum ScanMode: String, Sendable, Hashable, Codable {
    /// Identify the application protocol: connect, listen for a banner, send the planner's probes, match.
    case map
    /// amap `-B`: connect, send nothing (UDP: one NUL byte), report the first bytes the port sends.
    case banner
    /// amap `-P`: connect only and report which ports accept (UDP: not refused).
    case portScan
}
