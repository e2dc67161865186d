/// A token bucket: `rate` tokens per second, at most `burst` saved up. Pure arithmetic on instants, so the
/// schedule is testable without sleeping.
public struct TokenBucket: Sendable, Hashable {
    /// Tokens added per second.
    public let rate: Double
    /// The most tokens the bucket holds.
    public let burst: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    /// A full bucket at `now`.
    public init(rate: Double, burst: Double, now: ContinuousClock.Instant) {
        self.rate = max(rate, 1e-3)
        self.burst = max(1, burst)
        self.tokens = max(1, burst)
        self.updated = now
    }

    /// Takes one token and returns when it may be used: `now` when one is available, else the instant it will
    /// have been added. Later callers queue behind earlier ones (the balance may go negative).
    public mutating func take(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        if now > updated {
            let elapsed = HostTimings.milliseconds(now - updated) / 1_000
            tokens = min(burst, tokens + elapsed * rate)
            updated = now
        }
        tokens -= 1
        if tokens >= 0 { return now }
        return updated + .nanoseconds(Int64((-tokens / rate) * 1e9))
    }
}

/// `--rate`: at most N new connections (or UDP probes) per second for the whole scan. Callers sleep on their own
/// task until their token is due; no event loop is ever blocked.
actor ConnectionRateLimiter {
    private var bucket: TokenBucket

    /// A limiter for `perSecond` connections per second, with bursts of at most `burst` (default: a tenth of a
    /// second's worth, at least one).
    init(perSecond: Double, burst: Double? = nil) {
        bucket = TokenBucket(rate: perSecond, burst: burst ?? max(1, perSecond / 10), now: .now)
    }

    /// Waits until the caller may open a connection.
    func acquire() async {
        let due = bucket.take(now: .now)
        if due > .now { try? await Task.sleep(until: due, clock: .continuous) }
    }
}
