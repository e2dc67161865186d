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

    @Test func onlyRefusalMeansClosedAndALocalLimitIsNeverAPortState() {
        #expect(ConnectAttemptFailure.refused.portState == .closed)
        #expect(ConnectAttemptFailure.timedOut.portState == .filtered)
        #expect(ConnectAttemptFailure.localResourceExhausted("x").portState == .unknown)
    }

    @Test func eachFailureHasItsStatus() {
        #expect(ConnectAttemptFailure.refused.status == .connectionRefused)
        #expect(ConnectAttemptFailure.timedOut.status == .connectionTimeout)
        #expect(ConnectAttemptFailure.localResourceExhausted("x").status == .localResourceError)
        #expect(ConnectAttemptFailure.unreachable("x").status == .unknownError)
        #expect(ConnectAttemptFailure.tlsFailed(.timedOut).status == .ioTimeout)
        #expect(ConnectAttemptFailure.tlsFailed(.peerAlert(40)).status == .protocolError)
    }

    @Test func tlsNotesAreWordsWithoutErrorDumps() {
        #expect(TLSHandshakeFailure.peerAlert(70).note
            == "TLS handshake failed: the server sent alert protocol_version (70); it supports none of the TLS "
            + "versions amap offers")
        #expect(TLSHandshakeFailure.localRefusal(reason: 247).note
            == "TLS handshake failed: the server's answer is not TLS (wrong version number)")
        #expect(TLSHandshakeFailure.peerAlert(200).note == "TLS handshake failed: the server sent alert number 200")
    }
}
