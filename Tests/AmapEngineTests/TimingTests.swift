import AmapSignatures
import Testing
@testable import AmapEngine

/// The wait math, the RTT estimator, the token bucket, the host limiter and the automatic window: pure
/// arithmetic, no sleeping.
@Suite struct TimingTests {
    private let probe = TestProbes.probe("Hello", "HELLO\r\n")
    private let slowProbe = TestProbes.probe("Slow", "SLOW\r\n", waitMilliseconds: 400)

    private func waits(_ profile: TimingProfile = .lan, banner: Int = 2_000, response: Int = 3_000) -> AdaptiveWaits {
        AdaptiveWaits(profile: profile, bannerCeilingMilliseconds: banner, responseCeilingMilliseconds: response)
    }

    @Test func waitIsTheFloorOnLoopback() {
        // 8 × 0.1 ms + 100 ms is under the 250 ms floor.
        #expect(waits().waitMilliseconds(for: probe, smoothedRTT: 0.1) == 250)
        #expect(waits().waitMilliseconds(for: TestProbes.null, smoothedRTT: 0.1) == 500)
    }

    @Test func waitGrowsWithTheRTT() {
        // lan: 8 × 50 + 100 = 500; internet: 4 × 300 + 500 = 1,700.
        #expect(waits().waitMilliseconds(for: probe, smoothedRTT: 50) == 500)
        #expect(waits(.internet).waitMilliseconds(for: probe, smoothedRTT: 300) == 1_700)
    }

    @Test func ceilingsWin() {
        // The configured -t and the probe's own totalwaitms cap the wait, even below the floor.
        #expect(waits().waitMilliseconds(for: probe, smoothedRTT: 10_000) == 3_000)
        #expect(waits().waitMilliseconds(for: slowProbe, smoothedRTT: 10_000) == 400)
        #expect(waits(response: 100).waitMilliseconds(for: probe, smoothedRTT: 0.1) == 100)
        #expect(waits(banner: 300).waitMilliseconds(for: TestProbes.null, smoothedRTT: 0.1) == 300)
    }

    @Test func noSampleMeansTheCeiling() {
        #expect(waits().waitMilliseconds(for: probe, smoothedRTT: nil) == 3_000)
    }

    @Test func estimatorFollowsRFC6298() {
        var estimator = RoundTripEstimator()
        estimator.add(milliseconds: 80)
        #expect(estimator.smoothedMilliseconds == 80)
        #expect(estimator.variationMilliseconds == 40)
        estimator.add(milliseconds: 160)
        // srtt = 7/8 × 80 + 1/8 × 160 = 90; rttvar = 3/4 × 40 + 1/4 × |80 - 160| = 50.
        #expect(estimator.smoothedMilliseconds == 90)
        #expect(estimator.variationMilliseconds == 50)
        estimator.add(milliseconds: -1)
        #expect(estimator.samples == 2)
    }

    @Test func tokenBucketSpacesTokensAtTheRate() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(rate: 10, burst: 2, now: start)
        // Two saved tokens go at once; the next ones are due 100 ms apart.
        #expect(bucket.take(now: start) == start)
        #expect(bucket.take(now: start) == start)
        let third = bucket.take(now: start)
        let fourth = bucket.take(now: start)
        #expect(abs(HostTimings.milliseconds(third - start) - 100) < 1)
        #expect(abs(HostTimings.milliseconds(fourth - start) - 200) < 1)
        // After a second of quiet the bucket is full again (burst 2), not 10 tokens deep.
        let later = start + .seconds(3)
        #expect(bucket.take(now: later) == later)
        #expect(bucket.take(now: later) == later)
        #expect(bucket.take(now: later) > later)
    }

    @Test func hostLimiterAdmitsUpToTheLimit() async {
        let limiter = HostConcurrencyLimiter(limit: 2)
        await limiter.acquire("127.0.0.1")
        await limiter.acquire("127.0.0.1")
        await limiter.acquire("127.0.0.2")
        #expect(await limiter.activeCount("127.0.0.1") == 2)
        let third = Task { await limiter.acquire("127.0.0.1") }
        await limiter.release("127.0.0.1")
        await third.value
        #expect(await limiter.activeCount("127.0.0.1") == 2)
        await limiter.release("127.0.0.1")
        await limiter.release("127.0.0.1")
        #expect(await limiter.activeCount("127.0.0.1") == 0)
    }

    @Test func automaticWindowFollowsTheOpenFileLimit() {
        #expect(ScanConfiguration.automaticWindow(openFileLimit: 1_024, perPortParallelism: 5) == 192)
        #expect(ScanConfiguration.automaticWindow(openFileLimit: 1_048_576, perPortParallelism: 4) == 384)
        #expect(ScanConfiguration.automaticWindow(openFileLimit: 10, perPortParallelism: 5) == 1)
        // Listening connections (3x the parallelism) must fit the descriptors, not the 1,536-connection budget.
        #expect(ScanConfiguration.automaticWindow(openFileLimit: 1_024, perPortParallelism: 5, listeningFactor: 3)
                == 64)
        #expect(ScanConfiguration.automaticWindow(openFileLimit: 1_048_576, perPortParallelism: 5, listeningFactor: 3)
                == 307)
    }

    @Test func automaticProfileSeparatesLocalFromRemote() {
        for local in ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.1.1", "::1", "fd00::1"] {
            #expect(TimingChoice.automatic.profile(for: local) == .lan, "\(local)")
        }
        for remote in ["172.32.0.1", "2001:db8::1", "198.51.100.7"] {
            #expect(TimingChoice.automatic.profile(for: remote) == .internet, "\(remote)")
        }
        #expect(TimingChoice.fixed.profile(for: "127.0.0.1") == nil)
    }
}
