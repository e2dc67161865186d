import AmapSignatures
import Testing
@testable import AmapEngine

@Suite struct ScanConfigurationTests {
    @Test func probeWaitIsCappedByTheConfiguredWait() {
        let configuration = ScanConfiguration(responseTimeoutMilliseconds: 300, bannerWaitMilliseconds: 200)
        #expect(configuration.waitMilliseconds(for: TestProbes.probe("a", "x", waitMilliseconds: 5_000)) == 300)
        #expect(configuration.waitMilliseconds(for: TestProbes.probe("a", "x", waitMilliseconds: 100)) == 100)
        #expect(configuration.waitMilliseconds(for: TestProbes.probe("a", "x")) == 300)
        #expect(configuration.waitMilliseconds(for: TestProbes.probe("NULL", "", waitMilliseconds: 6_000)) == 200)
    }

    @Test func normalizedClampsNonsense() {
        let configuration = ScanConfiguration(window: 0, connectAttempts: -2, responseByteCap: 0).normalized
        #expect(configuration.window == 1)
        #expect(configuration.connectAttempts == 1)
        #expect(configuration.responseByteCap == 1)
    }

    @Test func defaultsAreTheCommandLines() {
        let configuration = ScanConfiguration()
        #expect(configuration.connectAttempts == 3)
        #expect(configuration.connectTimeoutMilliseconds == 5_000)
        // amap's -t 5, a promise for the banner and every probe of the first round (issue 11).
        #expect(configuration.responseTimeoutMilliseconds == 5_000)
        #expect(configuration.bannerWaitMilliseconds == 5_000)
        #expect(configuration.responseByteCap == 4_096)
        #expect(configuration.timing == .automatic)
        #expect(configuration.perPortParallelism == ScanConfiguration.adaptivePerPortParallelism)
        #expect(configuration.window == ScanConfiguration.automaticWindow(
            perPortParallelism: 5, listeningFactor: ScanConfiguration.listeningConnectionsFactor))
        #expect(!configuration.reportAllMatches)
    }

    @Test func fixedTimingProbesOneAtATime() {
        #expect(ScanConfiguration(timing: .fixed).perPortParallelism == 1)
        #expect(ScanConfiguration(timing: .fixed, perPortParallelism: 3).perPortParallelism == 3)
        #expect(ScanConfiguration(window: 7).window == 7)
    }

    @Test func modesOtherThanMapStopAtTheFirstAnswerWithoutTLS() {
        let banner = ScanConfiguration(mode: .banner, reportAllMatches: true, tlsPass: true).normalized
        #expect(banner.stopAtFirstIdentification && !banner.tlsPass && !banner.reportAllMatches)
        let map = ScanConfiguration(stopAtFirstIdentification: true, reportAllMatches: true).normalized
        #expect(map.tlsPass && !map.reportAllMatches)
    }
}

@Suite struct ReservedNameTests {
    @Test func invalidTopLevelDomainIsRefusedWithoutALookup() async {
        #expect(EndpointResolver.isReservedInvalid("no-such-host.invalid"))
        #expect(EndpointResolver.isReservedInvalid("X.INVALID."))
        #expect(!EndpointResolver.isReservedInvalid("invalid.example"))
        #expect(!EndpointResolver.isReservedInvalid("localhost"))
        await #expect(throws: EndpointResolver.ResolveError.self) {
            _ = try await EndpointResolver.addresses(of: "no-such-host.invalid")
        }
    }
}
