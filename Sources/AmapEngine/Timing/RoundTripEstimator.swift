/// A smoothed round-trip time, as TCP keeps it (RFC 6298 section 2: alpha 1/8, beta 1/4).
///
/// Samples are connect times (one SYN / SYN-ACK exchange) and first-byte times of answered probes, so a slow
/// server raises the estimate as a slow path does.
public struct RoundTripEstimator: Sendable, Hashable {
    /// The smoothed RTT in milliseconds; nil before the first sample.
    public private(set) var smoothedMilliseconds: Double?
    /// The RTT variation in milliseconds.
    public private(set) var variationMilliseconds: Double = 0
    /// How many samples were taken.
    public private(set) var samples = 0

    /// RFC 6298's gain for the smoothed RTT.
    static let alpha = 1.0 / 8.0
    /// RFC 6298's gain for the variation.
    static let beta = 1.0 / 4.0

    /// An estimator without samples.
    public init() {}

    /// Takes one measurement (negative values are ignored).
    public mutating func add(milliseconds sample: Double) {
        guard sample >= 0, sample.isFinite else { return }
        samples += 1
        guard let srtt = smoothedMilliseconds else {
            smoothedMilliseconds = sample
            variationMilliseconds = sample / 2
            return
        }
        variationMilliseconds = (1 - Self.beta) * variationMilliseconds + Self.beta * abs(srtt - sample)
        smoothedMilliseconds = (1 - Self.alpha) * srtt + Self.alpha * sample
    }
}
