import AmapModel

/// amap's RPC pass as pure functions: the call sent for each program of the RPC list, and the name a reply earns.
public enum ONCRPCAmapPass {
    /// The bytes amap sends to learn whether the port serves `program` (see `ONCRPCCall.amapProbe`).
    public static func call(for program: RPCProgram, transport: Transport) -> [UInt8] {
        ONCRPCCall.amapProbe(program: program.number).encoded(for: transport)
    }

    /// The identification a reply earns: PROG_MISMATCH for the program's own call (xid = program number) names
    /// the port `rpc-<name>-v<highest version>`, as amap does. Any other reply, or a reply to another call,
    /// names nothing.
    ///
    /// amap accepted any reply of the PROG_MISMATCH length and read the version from its last byte (so versions
    /// from 10 on came out as punctuation); this decodes the reply and prints the version in decimal.
    public static func identification(for reply: ONCRPCReply, program: RPCProgram, tunnelled: Bool = false)
        -> Identification?
    {
        guard reply.xid == program.number, case .programMismatch(let low, let high) = reply.status else { return nil }
        return Identification(
            service: "rpc-\(program.name)-v\(high)",
            isTunnelled: tunnelled,
            evidence: Evidence(probeName: Evidence.rpcPassProbeName, signature: program.location,
                               captures: ["\(low)", "\(high)"])
        )
    }

    /// How an RPC-pass hit is named.
    public enum Naming: Sendable, Hashable {
        /// amap's `rpc-<name>-v<highest version>` (with amap's own files).
        case amap
        /// The program's own name, with its number and version range in the version info
        /// (`rpcbind`, `RPC #100000 v2-4`), as the built-in database's RPC signatures name them.
        case program
    }

    /// The identification a reply earns under `naming`; nil unless it is PROG_MISMATCH for the program's own call.
    public static func identification(for reply: ONCRPCReply, program: RPCProgram, naming: Naming,
                                      tunnelled: Bool = false) -> Identification?
    {
        guard var hit = identification(for: reply, program: program, tunnelled: tunnelled) else { return nil }
        guard naming == .program, case .programMismatch(let low, let high) = reply.status else { return hit }
        hit.service = program.name
        hit.version = VersionInfo(info: "RPC #\(program.number) v" + (low == high ? "\(low)" : "\(low)-\(high)"))
        return hit
    }

    /// Decodes `bytes` and names the program, if they are its PROG_MISMATCH reply; nil for anything else,
    /// including a TCP record that is not complete yet.
    public static func identification(forReply bytes: [UInt8], program: RPCProgram, transport: Transport,
                                      tunnelled: Bool = false) -> Identification?
    {
        guard case .reply(let reply) = ONCRPCReply.parse(bytes, transport: transport) else { return nil }
        return identification(for: reply, program: program, tunnelled: tunnelled)
    }
}
