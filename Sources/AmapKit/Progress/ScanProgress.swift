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

    /// Progress of a scan of `total` endpoints (nil when unknown).
    public init(total: UInt64? = nil) {
        self.total = total
    }

    /// Counts `event` if it ends an endpoint.
    public mutating func record(_ event: ScanEvent) {
        if case .finished = event { done += 1 }
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
