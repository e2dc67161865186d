import AmapModel

/// An ONC-RPC REPLY message (RFC 5531 §9), decoded from XDR as far as identification needs.
public struct ONCRPCReply: Sendable, Hashable {
    /// What the server said about the call.
    public enum Status: Sendable, Hashable {
        /// MSG_ACCEPTED, SUCCESS: the call ran.
        case success
        /// MSG_ACCEPTED, PROG_UNAVAIL: the server does not have the program.
        case programUnavailable
        /// MSG_ACCEPTED, PROG_MISMATCH: the program is there, in versions `low...high`.
        case programMismatch(low: UInt32, high: UInt32)
        /// MSG_ACCEPTED, PROC_UNAVAIL.
        case procedureUnavailable
        /// MSG_ACCEPTED, GARBAGE_ARGS.
        case garbageArguments
        /// MSG_ACCEPTED, SYSTEM_ERR.
        case systemError
        /// MSG_ACCEPTED with an accept_stat this decoder does not know.
        case otherAccepted(UInt32)
        /// MSG_DENIED, RPC_MISMATCH: the server speaks RPC versions `low...high` only.
        case rpcMismatch(low: UInt32, high: UInt32)
        /// MSG_DENIED, AUTH_ERROR with its auth_stat.
        case authError(UInt32)
        /// MSG_DENIED with a reject_stat this decoder does not know.
        case otherDenied(UInt32)
    }

    /// The result of decoding bytes received so far.
    public enum ParseOutcome: Sendable, Hashable {
        /// A complete reply.
        case reply(ONCRPCReply)
        /// TCP only: the record is not complete yet; wait for more bytes.
        case incomplete
        /// Not an ONC-RPC reply; the reason, for evidence and debugging.
        case malformed(String)
    }

    /// The transaction id, copied from the call.
    public var xid: UInt32
    /// The server's answer.
    public var status: Status

    /// Creates a reply.
    public init(xid: UInt32, status: Status) {
        self.xid = xid
        self.status = status
    }

    /// A record larger than this is not an answer to a 40-byte NULL call (real ones are 24-40 bytes).
    public static let maximumRecordLength = 64 * 1024
    /// RFC 5531 §8.2: `opaque body<400>`.
    static let maximumAuthBodyLength = 400

    /// Decodes `bytes` received over `transport`: a UDP datagram, or a TCP stream with record marking (§11),
    /// whose fragments are joined up to the last one.
    public static func parse(_ bytes: [UInt8], transport: Transport) -> ParseOutcome {
        switch transport {
        case .udp:
            return parseMessage(bytes[...])
        case .tcp:
            var message: [UInt8] = []
            var offset = 0
            while true {
                guard bytes.count - offset >= 4 else { return .incomplete }
                let mark = XDRReader.word(bytes, at: offset)
                let length = Int(mark & ~ONCRPCCall.lastFragmentFlag)
                guard message.count + length <= maximumRecordLength else {
                    return .malformed("record of more than \(maximumRecordLength) bytes")
                }
                offset += 4
                guard bytes.count - offset >= length else { return .incomplete }
                message += bytes[offset..<(offset + length)]
                offset += length
                if mark & ONCRPCCall.lastFragmentFlag != 0 { return parseMessage(message[...]) }
            }
        }
    }

    private static func parseMessage(_ message: ArraySlice<UInt8>) -> ParseOutcome {
        var reader = XDRReader(message)
        guard let xid = reader.next(), let type = reader.next(), let replyStatus = reader.next() else {
            return .malformed("shorter than an RPC reply header (12 bytes)")
        }
        guard type == 1 else { return .malformed("msg_type \(type), not REPLY (1)") }
        switch replyStatus {
        case 0:  // MSG_ACCEPTED: verifier, then accept_stat.
            guard reader.next() != nil, let verifierLength = reader.next() else { return .malformed("truncated") }
            guard verifierLength <= maximumAuthBodyLength else {
                return .malformed("verifier of \(verifierLength) bytes (at most \(maximumAuthBodyLength))")
            }
            guard reader.skip(paddedLength: Int(verifierLength)), let accept = reader.next() else {
                return .malformed("truncated")
            }
            let status: Status
            switch accept {
            case 0: status = .success
            case 1: status = .programUnavailable
            case 2:
                guard let low = reader.next(), let high = reader.next() else { return .malformed("truncated") }
                status = .programMismatch(low: low, high: high)
            case 3: status = .procedureUnavailable
            case 4: status = .garbageArguments
            case 5: status = .systemError
            default: status = .otherAccepted(accept)
            }
            return .reply(ONCRPCReply(xid: xid, status: status))
        case 1:  // MSG_DENIED: reject_stat.
            guard let reject = reader.next() else { return .malformed("truncated") }
            switch reject {
            case 0:
                guard let low = reader.next(), let high = reader.next() else { return .malformed("truncated") }
                return .reply(ONCRPCReply(xid: xid, status: .rpcMismatch(low: low, high: high)))
            case 1:
                guard let auth = reader.next() else { return .malformed("truncated") }
                return .reply(ONCRPCReply(xid: xid, status: .authError(auth)))
            default:
                return .reply(ONCRPCReply(xid: xid, status: .otherDenied(reject)))
            }
        default:
            return .malformed("reply_stat \(replyStatus), neither MSG_ACCEPTED (0) nor MSG_DENIED (1)")
        }
    }
}

/// Reads big-endian 32-bit XDR words from a byte slice.
struct XDRReader {
    private var bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    /// The next word, or nil when fewer than 4 bytes are left.
    mutating func next() -> UInt32? {
        guard bytes.endIndex - offset >= 4 else { return nil }
        defer { offset += 4 }
        return Self.word(bytes, at: offset)
    }

    /// Skips `length` bytes of opaque data and its padding to a multiple of 4; false when too few are left.
    mutating func skip(paddedLength length: Int) -> Bool {
        let padded = (length + 3) / 4 * 4
        guard bytes.endIndex - offset >= padded else { return false }
        offset += padded
        return true
    }

    /// The big-endian word at `index` (which must have 4 bytes after it).
    static func word<C: RandomAccessCollection>(_ bytes: C, at index: C.Index) -> UInt32 where C.Element == UInt8 {
        var value: UInt32 = 0
        var position = index
        for _ in 0..<4 {
            value = value << 8 | UInt32(bytes[position])
            position = bytes.index(after: position)
        }
        return value
    }
}
