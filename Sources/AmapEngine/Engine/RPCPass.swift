import AmapModel
import AmapSignatures

/// amap's third pass: on a port named as ONC RPC, a NULL call with a version no program implements for every
/// program of the database's RPC list, in list order, one at a time; the first program that answers PROG_MISMATCH
/// names the port (amap forces `-1` for this pass).
///
/// Over TCP the calls share one connection (record marking, RFC 5531 §11) while the server answers them, as amap
/// reuses a connection after a PROG_UNAVAIL; a connection that closes, stays silent or answers something else is
/// replaced. Over UDP each call goes from its own connected socket, with the scan's retransmits. The pass holds the
/// endpoint's slot of the window and one connection at a time, waits at most `-t` per call, and ends after
/// ``silenceLimit`` calls in a row drew no reply, or at the port's probing deadline.
struct RPCPass: Sendable {
    /// The shared engine state.
    var context: EngineContext

    /// Calls in a row without a decodable reply after which the port is taken not to be serving RPC after all.
    static let silenceLimit = 3

    /// What the pass found: the identification a program's PROG_MISMATCH reply earned.
    struct Hit: Sendable {
        var identification: Identification
    }

    /// Runs the pass when it is on and `findings` name the port as ONC RPC, and records its hit.
    func runIfNamed(_ endpoint: Endpoint, deadline: ContinuousClock.Instant?, findings: inout EndpointFindings) async {
        let programs = context.rpcPrograms
        guard context.configuration.rpcPass, !programs.isEmpty, !Task.isCancelled,
            findings.speaksONCRPC(programs: programs), let hit = await run(endpoint, deadline: deadline)
        else { return }
        findings.recordRPC(hit.identification, programs: programs)
    }

    /// Runs the pass on `endpoint` and returns its hit, if a program answered.
    func run(_ endpoint: Endpoint, deadline: ContinuousClock.Instant?) async -> Hit? {
        switch endpoint.transport {
        case .tcp: await overTCP(endpoint, deadline: deadline)
        case .udp: await overUDP(endpoint, deadline: deadline)
        }
    }

    private func overTCP(_ endpoint: Endpoint, deadline: ContinuousClock.Instant?) async -> Hit? {
        let jobs = TCPProbeJobs(context: context, endpoint: endpoint)
        let wait = context.configuration.responseTimeoutMilliseconds
        var session: TCPSession?
        var silent = 0
        for program in context.rpcPrograms {
            if Task.isCancelled || silent >= Self.silenceLimit { break }
            if let deadline, ContinuousClock.now >= deadline { break }
            if session == nil {
                guard case .success(let fresh) = await jobs.open(tls: false) else { break }
                session = fresh
            }
            guard var open = session else { break }
            let call = ONCRPCAmapPass.call(for: program, transport: .tcp)
            let outcome = await open.exchange(BeginExchange(payload: call, waitMilliseconds: wait)) { bytes in
                ONCRPCReply.parse(bytes, transport: .tcp) != .incomplete
            }
            session = open
            guard case .reply(let reply) = ONCRPCReply.parse(outcome.bytes, transport: .tcp),
                reply.xid == program.number
            else {
                silent += 1
                await open.close()
                session = nil
                continue
            }
            silent = 0
            if let hit = ONCRPCAmapPass.identification(for: reply, program: program,
                                                        naming: context.configuration.rpcNaming)
            {
                await open.close()
                session = nil
                return Hit(identification: hit)
            }
            if outcome.end != .satisfied || !open.isOpen {
                await open.close()
                session = nil
            }
        }
        if var open = session {
            await open.close()
            session = nil
        }
        return nil
    }

    private func overUDP(_ endpoint: Endpoint, deadline: ContinuousClock.Instant?) async -> Hit? {
        let exchange = UDPExchange(context: context)
        let wait = context.configuration.responseTimeoutMilliseconds
        var silent = 0
        for program in context.rpcPrograms {
            if Task.isCancelled || silent >= Self.silenceLimit { break }
            if let deadline, ContinuousClock.now >= deadline { break }
            if let limiter = context.rateLimiter { await limiter.acquire() }
            let call = ONCRPCAmapPass.call(for: program, transport: .udp)
            let outcome = await exchange.run(endpoint, plan: exchange.plan(payload: call, waitMilliseconds: wait)) {
                bytes in
                if case .reply(let reply) = ONCRPCReply.parse(bytes, transport: .udp) {
                    return reply.xid == program.number
                }
                return false
            }
            guard case .answered(let bytes, _) = outcome,
                case .reply(let reply) = ONCRPCReply.parse(bytes, transport: .udp), reply.xid == program.number
            else {
                if case .refused = outcome { break }
                silent += 1
                continue
            }
            silent = 0
            if let hit = ONCRPCAmapPass.identification(for: reply, program: program,
                                                        naming: context.configuration.rpcNaming)
            {
                return Hit(identification: hit)
            }
        }
        return nil
    }
}
