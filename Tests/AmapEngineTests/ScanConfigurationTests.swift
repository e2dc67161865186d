import AmapSignatures
import NIOCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    @Test func amapDefaults() {
        let configuration = ScanConfiguration()
        #expect(configuration.window == 32)
        #expect(configuration.connectAttempts == 3)
        #expect(configuration.connectTimeoutMilliseconds == 5_000)
        #expect(configuration.responseByteCap == 4_096)
    }
}

@Suite struct ConnectFailureTests {
    @Test func classifiesErrnos() {
        #expect(ConnectFailure.classify(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == .refused)
        #expect(ConnectFailure.classify(ChannelError.connectTimeout(.seconds(1))) == .timedOut)
        for code in [EMFILE, ENFILE] {
            guard case .localResourceExhausted = ConnectFailure.classify(IOError(errnoCode: code, reason: "socket"))
            else {
                Issue.record("errno \(code) must be a local error, never a closed port")
                continue
            }
        }
        guard case .unreachable = ConnectFailure.classify(IOError(errnoCode: EHOSTUNREACH, reason: "connect")) else {
            Issue.record("EHOSTUNREACH must be unreachable")
            return
        }
    }

    @Test func onlyRefusalMeansClosed() {
        #expect(ConnectFailure.refused.portState == .closed)
        #expect(ConnectFailure.timedOut.portState == .filtered)
        #expect(ConnectFailure.localResourceExhausted("x").portState == .filtered)
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
