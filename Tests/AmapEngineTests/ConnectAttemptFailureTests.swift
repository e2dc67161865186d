import NIOCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import AmapEngine

@Suite struct ConnectAttemptFailureTests {
    @Test func classifiesErrnos() {
        #expect(ConnectAttemptFailure.classify(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == .refused)
        #expect(ConnectAttemptFailure.classify(ChannelError.connectTimeout(.seconds(1))) == .timedOut)
        for code in [EMFILE, ENFILE] {
            let failure = ConnectAttemptFailure.classify(IOError(errnoCode: code, reason: "socket"))
            guard case .localResourceExhausted = failure else {
                Issue.record("errno \(code) must be a local error, never a closed port")
                continue
            }
        }
        let unreachable = ConnectAttemptFailure.classify(IOError(errnoCode: EHOSTUNREACH, reason: "connect"))
        guard case .unreachable = unreachable else {
            Issue.record("EHOSTUNREACH must be unreachable")
            return
        }
    }

    @Test func onlyRefusalMeansClosed() {
        #expect(ConnectAttemptFailure.refused.portState == .closed)
        #expect(ConnectAttemptFailure.timedOut.portState == .filtered)
        #expect(ConnectAttemptFailure.localResourceExhausted("x").portState == .filtered)
    }
}
