import AmapModel

/// An ONC-RPC CALL message with AUTH_NONE credentials (RFC 5531 §9), encoded in XDR (RFC 4506: big-endian 32-bit
/// words).
public struct ONCRPCCall: Sendable, Hashable {
    /// RFC 5531 §9: `rpcvers` must be 2.
    public static let rpcVersion: UInt32 = 2
    /// RFC 5531 §9 `msg_type`: CALL = 0.
    static let messageTypeCall: UInt32 = 0
    /// RFC 5531 §8.2 `auth_flavor`: AUTH_NONE = 0.
    static let authNone: UInt32 = 0
    /// The encoded size: ten 32-bit words (xid, type, rpcvers, prog, vers, proc, cred flavor+length, verf
    /// flavor+length).
    public static let encodedLength = 40
    /// RFC 5531 §11 record marking: the high bit of the 4-byte header flags the last fragment.
    public static let lastFragmentFlag: UInt32 = 0x8000_0000

    /// amap's program version: a number no program implements (489,546), so a server that has the program
    /// answers PROG_MISMATCH and names the versions it does support.
    public static let amapProbeVersion: UInt32 = 0x0007_784A

    /// Transaction id; the reply carries the same value.
    public var xid: UInt32
    /// Program number (100000 for rpcbind).
    public var program: UInt32
    /// Program version.
    public var version: UInt32
    /// Procedure number; 0 is every program's NULL procedure.
    public var procedure: UInt32

    /// Creates a call.
    public init(xid: UInt32, program: UInt32, version: UInt32, procedure: UInt32 = 0) {
        self.xid = xid
        self.program = program
        self.version = version
        self.procedure = procedure
    }

    /// amap's RPC-pass call for `program`: xid = program number, the bogus version, procedure 0.
    public static func amapProbe(program: UInt32) -> ONCRPCCall {
        ONCRPCCall(xid: program, program: program, version: amapProbeVersion, procedure: 0)
    }

    /// The 40-byte message; over TCP preceded by a record mark (last fragment, length 40: `0x80000028`).
    public func encoded(for transport: Transport) -> [UInt8] {
        var words: [UInt32] = []
        if transport == .tcp { words.append(Self.lastFragmentFlag | UInt32(Self.encodedLength)) }
        words += [
            xid, Self.messageTypeCall, Self.rpcVersion, program, version, procedure,
            Self.authNone, 0,  // credentials: flavor, zero-length body
            Self.authNone, 0,  // verifier: flavor, zero-length body
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.count * 4)
        for word in words {
            bytes += [UInt8(truncatingIfNeeded: word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                      UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word)]
        }
        return bytes
    }
}
