import Testing
@testable import AmapEngine

@Suite struct TLSRecordSnifferTests {
    @Test(arguments: [
        [0x16, 0x03, 0x01, 0x00, 0x05, 0x02], [0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00],
        [0x15, 0x03, 0x00, 0x00, 0x02, 0x02, 0x28], [0x15, 0x03, 0x04],
    ] as [[UInt8]])
    func recognisesHandshakeAndAlertRecords(_ bytes: [UInt8]) {
        #expect(TLSRecordSniffer.looksLikeTLS(bytes))
    }

    @Test(arguments: [
        [], [0x16, 0x03], [0x17, 0x03, 0x03], [0x16, 0x02, 0x01], [0x16, 0x03, 0x05], Array("SSH-2.0-x".utf8),
        Array("HTTP/1.0 400".utf8),
        // Our own ClientHello sent back by an echo service is not a TLS server.
        [0x16, 0x03, 0x01, 0x00, 0xc7, 0x01, 0x00, 0x00, 0xc3],
        // A handshake record whose message type has not arrived yet is not enough to tell.
        [0x16, 0x03, 0x03, 0x00, 0x7a],
    ] as [[UInt8]])
    func rejectsOtherBytes(_ bytes: [UInt8]) {
        #expect(!TLSRecordSniffer.looksLikeTLS(bytes))
    }

    @Test func worksOnSlices() {
        let bytes: [UInt8] = [0x00, 0x16, 0x03, 0x03, 0x00, 0x10, 0x02]
        #expect(TLSRecordSniffer.looksLikeTLS(bytes[1...]))
        #expect(!TLSRecordSniffer.looksLikeTLS(bytes[0...]))
    }
}
