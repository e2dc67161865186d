import AmapModel
import AmapSignatures

/// How far a scan has come: endpoints finished out of the total, the rate and the estimated time left.
///
/// Only `.finished` events count (one per endpoint), so the figure is the same whatever the mode and however many
/// identifications a port produced.
public struct ScanProgress: Sendable, Hashable {
    /// The number of endpoints the scan visits, when known.
    public var total: UInt64?
    /// Endpoints finished so far.
    public private(set) var done: UInt64 = 0
    /// Finished endpoints whose port was open.
    public private(set) var open: UInt64 = 0
    /// Finished endpoints with at least one identification.
    public private(set) var identified: UInt64 = 0

    /// Progress of a scan of `total` endpoints (nil when unknown).
    public init(total: UInt64? = nil) {
        self.total = total
    }

    /// Counts `event` if it ends an endpoint.
    public mutating func record(_ event: ScanEvent) {
        guard case .finished(let result) = event else { return }
        done += 1
        if result.state == .open { open += 1 }
        if !result.identifications.isEmpty { identified += 1 }
    }

    /// `1234/65536 (1.9%), 410.3/s, ETA 2m39s` after `elapsed`; the rate and ETA are left out until a second has
    /// passed and something finished, the total and ETA when the total is unknown.
    public func line(elapsed: Duration) -> String {
        var text = "\(done)"
        if let total {
            let percent = total == 0 ? 100 : Double(done) * 100 / Double(total)
            text += "/\(total) (\(Self.oneDecimal(percent))%)"
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard seconds >= 1, done > 0 else { return text }
        let rate = Double(done) / seconds
        text += ", \(Self.oneDecimal(rate))/s"
        if let total, total >= done {
            text += ", ETA \(Self.clock(Double(total - done) / rate))"
        }
        return text
    }

    /// The run's last line: `1234/1234 endpoints in 3.0s (411.3/s): 17 open, 12 identified`.
    public func summary(elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var text = "\(done)" + (total.map { "/\($0)" } ?? "") + " endpoints in \(Self.oneDecimal(seconds))s"
        if seconds > 0 { text += " (\(Self.oneDecimal(Double(done) / seconds))/s)" }
        return text + ": \(open) open, \(identified) identified"
    }

    /// `2h03m`, `4m05s`, `12s`.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, rest) = (whole / 3600, whole % 3600 / 60, whole % 60)
        if hours > 0 { return "\(hours)h" + pad(minutes) + "m" }
        if minutes > 0 { return "\(minutes)m" + pad(rest) + "s" }
        return "\(rest)s"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
