import AmapModel
import AmapSignatures
import Testing

/// The RPC pass's bytes, worked out by hand from RFC 5531 (§9 message, §8.2 AUTH_NONE, §11 record marking) and
/// RFC 4506 (XDR: big-endian 4-byte words).
@Suite struct AmapMatcherONCRPCTests {
    private let rpcbind = RPCProgram(name: "rpcbind", number: 100_000,
                                     location: AmapModel.SourceLocation(file: "made.rpc", line: 3))

    /// 100000 = 0x000186a0; 489546 = 0x0007784a.
    private let callWords: [UInt8] = [
        0x00, 0x01, 0x86, 0xA0,  // xid = program number
        0x00, 0x00, 0x00, 0x00,  // msg_type CALL
        0x00, 0x00, 0x00, 0x02,  // rpcvers 2
        0x00, 0x01, 0x86, 0xA0,  // prog
        0x00, 0x07, 0x78, 0x4A,  // vers (amap's bogus 489546)
        0x00, 0x00, 0x00, 0x00,  // proc 0 (NULL)
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // cred AUTH_NONE, length 0
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // verf AUTH_NONE, length 0
    ]

    @Test func udpCallIsFortyBytes() {
        let bytes = ONCRPCAmapPass.call(for: rpcbind, transport: .udp)
        #expect(bytes.count == 40)
        #expect(bytes == callWords)
    }

    @Test func tcpCallHasARecordMark() {
        let bytes = ONCRPCAmapPass.call(for: rpcbind, transport: .tcp)
        #expect(bytes == [0x80, 0x00, 0x00, 0x28] + callWords)
    }

    @Test func wordsAreBigEndianForLargeNumbers() {
        let call = ONCRPCCall(xid: 0x0102_0304, program: 0xFFEE_DDCC, version: 7, procedure: 0xA0B0_C0D0)
        let bytes = call.encoded(for: .udp)
        #expect(Array(bytes[0..<4]) == [0x01, 0x02, 0x03, 0x04])
        #expect(Array(bytes[12..<16]) == [0xFF, 0xEE, 0xDD, 0xCC])
        #expect(Array(bytes[16..<20]) == [0x00, 0x00, 0x00, 0x07])
        #expect(Array(bytes[20..<24]) == [0xA0, 0xB0, 0xC0, 0xD0])
    }

    /// xid, REPLY, MSG_ACCEPTED, verf AUTH_NONE/0, PROG_MISMATCH, low, high: 32 bytes.
    private func mismatchReply(xid: [UInt8] = [0x00, 0x01, 0x86, 0xA0], low: UInt8 = 2, high: UInt8 = 4) -> [UInt8] {
        xid + [0, 0, 0, 1] + [0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 2] + [0, 0, 0, low] + [0, 0, 0, high]
    }

    @Test func programMismatchNamesTheProgramAndHighestVersion() throws {
        let udp = mismatchReply()
        #expect(udp.count == 32)
        #expect(ONCRPCReply.parse(udp, transport: .udp)
            == .reply(ONCRPCReply(xid: 100_000, status: .programMismatch(low: 2, high: 4))))
        let identification = try #require(
            ONCRPCAmapPass.identification(forReply: udp, program: rpcbind, transport: .udp))
        #expect(identification.service == "rpc-rpcbind-v4")
        #expect(identification.evidence.signature == rpcbind.location)
        #expect(identification.evidence.captures == ["2", "4"])

        let tcp = [0x80, 0, 0, 0x20] + udp
        #expect(tcp.count == 36)
        #expect(ONCRPCAmapPass.identification(forReply: tcp, program: rpcbind, transport: .tcp)?.service
            == "rpc-rpcbind-v4")
    }

    @Test func versionsFromTenOnArePrintedInDecimal() {
        let reply = mismatchReply(low: 1, high: 12)
        #expect(ONCRPCAmapPass.identification(forReply: reply, program: rpcbind, transport: .udp)?.service
            == "rpc-rpcbind-v12")
    }

    @Test func otherRepliesNameNothing() {
        var unavailable = mismatchReply()
        unavailable.removeLast(8)
        unavailable[unavailable.count - 1] = 1  // PROG_UNAVAIL
        #expect(ONCRPCReply.parse(unavailable, transport: .udp)
            == .reply(ONCRPCReply(xid: 100_000, status: .programUnavailable)))
        #expect(ONCRPCAmapPass.identification(forReply: unavailable, program: rpcbind, transport: .udp) == nil)
        // A PROG_MISMATCH for another call (xid of another program) is not this program's answer.
        let stale = mismatchReply(xid: [0x00, 0x01, 0x86, 0xA3])
        #expect(ONCRPCAmapPass.identification(forReply: stale, program: rpcbind, transport: .udp) == nil)
        // amap's length check would have taken 32 bytes of anything.
        let junk = [UInt8](repeating: 0x41, count: 32)
        #expect(ONCRPCAmapPass.identification(forReply: junk, program: rpcbind, transport: .udp) == nil)
    }

    @Test func verifierBodyIsSkippedWithItsPadding() {
        // verf flavor 1 with a 5-byte body padded to 8.
        let reply: [UInt8] = [0, 0, 0, 9] + [0, 0, 0, 1] + [0, 0, 0, 0] + [0, 0, 0, 1, 0, 0, 0, 5]
            + [1, 2, 3, 4, 5, 0, 0, 0] + [0, 0, 0, 2] + [0, 0, 0, 3] + [0, 0, 0, 3]
        #expect(ONCRPCReply.parse(reply, transport: .udp)
            == .reply(ONCRPCReply(xid: 9, status: .programMismatch(low: 3, high: 3))))
        #expect(ONCRPCReply.parse(Array(reply.dropLast(12)), transport: .udp) == .malformed("truncated"))
    }

    @Test func deniedReplies() {
        let rpcMismatch: [UInt8] = [0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2]
        #expect(ONCRPCReply.parse(rpcMismatch, transport: .udp)
            == .reply(ONCRPCReply(xid: 5, status: .rpcMismatch(low: 2, high: 2))))
        let authError: [UInt8] = [0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 5]
        #expect(ONCRPCReply.parse(authError, transport: .udp) == .reply(ONCRPCReply(xid: 5, status: .authError(5))))
    }

    @Test func malformedMessages() {
        let call = ONCRPCCall.amapProbe(program: 7).encoded(for: .udp)
        guard case .malformed(let reason) = ONCRPCReply.parse(call, transport: .udp) else {
            Issue.record("a CALL is not a reply")
            return
        }
        #expect(reason.contains("not REPLY"))
        #expect(ONCRPCReply.parse([0, 0, 0, 1, 0, 0, 0, 1], transport: .udp)
            == .malformed("shorter than an RPC reply header (12 bytes)"))
        let badStat: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7]
        guard case .malformed = ONCRPCReply.parse(badStat, transport: .udp) else {
            Issue.record("reply_stat 7 is not a reply")
            return
        }
        let hugeVerifier: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0x01, 0x91]
        guard case .malformed = ONCRPCReply.parse(hugeVerifier, transport: .udp) else {
            Issue.record("a 401-byte verifier breaks RFC 5531's limit")
            return
        }
    }

    @Test func tcpRecordsAreReassembledAndWaitedFor() {
        let body = mismatchReply()
        // Two fragments: 12 bytes without the last-fragment bit, then 20 with it.
        let fragmented = [0, 0, 0, 12] + body[0..<12] + [0x80, 0, 0, 20] + body[12...]
        #expect(ONCRPCAmapPass.identification(forReply: Array(fragmented), program: rpcbind, transport: .tcp)?
            .service == "rpc-rpcbind-v4")
        for cut in [0, 3, 4, 15, 16, 20, fragmented.count - 1] {
            #expect(ONCRPCReply.parse(Array(fragmented.prefix(cut)), transport: .tcp) == .incomplete, "cut \(cut)")
        }
        let oversized: [UInt8] = [0x80, 0x01, 0x00, 0x01]
        guard case .malformed = ONCRPCReply.parse(oversized, transport: .tcp) else {
            Issue.record("a 65537-byte record is refused without waiting for it")
            return
        }
    }

    @Test func randomBytesNeverCrash() {
        var state: UInt64 = 7
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let count = Int(state >> 59)  // 0...31 words
            var bytes: [UInt8] = []
            for index in 0..<(count * 4 + Int(state >> 61)) {
                bytes.append(index % 4 == 3 ? UInt8(truncatingIfNeeded: state >> (index % 56)) : 0)
            }
            _ = ONCRPCReply.parse(bytes, transport: .udp)
            _ = ONCRPCReply.parse(bytes, transport: .tcp)
        }
    }
}
