import AmapModel
import AmapSignatures
import NIOCore
import NIOSSL

/// Map mode over TCP: connect, run the planner's probes (NULL first), and when the port speaks TLS, run them again
/// inside TLS.
///
/// nmap's connection rule: the NULL probe listens on a fresh connection; if it times out without a match, the next
/// probe goes out on that same connection; every later probe opens a fresh one. Here the later probes run up to
/// `perPortParallelism` at a time (`TCPProbeJobs`), so a silent port costs about one wait per round instead of one
/// per probe; the connection of the first probe keeps listening while the others run, so a slow greeter's banner
/// is still matched (every chain ends with the NULL probe's lines).
struct TCPServiceMapper: Sendable {
    /// The shared engine state.
    var context: EngineContext

    /// Probes `endpoint` and returns what was learned; identifications are emitted as they are found.
    func run(_ endpoint: Endpoint) async -> PortResult {
        let jobs = TCPProbeJobs(context: context, endpoint: endpoint)
        var findings = EndpointFindings(endpoint: endpoint, configuration: context.configuration, emit: context.emit)
        let deadline = await context.probingDeadline(for: endpoint, portStart: .now)
        let first: TCPSession
        switch await jobs.open(tls: false) {
        case .success(let session):
            first = session
        case .failure(let failure):
            findings.note = failure.note
            if case .localResourceExhausted = failure { context.emit(.warning(endpoint, failure.note)) }
            return findings.result(state: failure.portState)
        }
        await probePass(jobs, tunnelled: false, first: first, deadline: deadline, findings: &findings)
        if findings.tlsRequested && context.configuration.tlsPass && !Task.isCancelled {
            await tlsPass(jobs, deadline: deadline, findings: &findings)
        }
        findings.finish()
        return findings.result(state: .open)
    }

    private func tlsPass(_ jobs: TCPProbeJobs, deadline: ContinuousClock.Instant?, findings: inout EndpointFindings)
        async
    {
        findings.beginTLSPass()
        switch await jobs.open(tls: true) {
        case .success(let session):
            findings.tls = await Self.details(of: session.channel)
            await probePass(jobs, tunnelled: true, first: session, deadline: deadline, findings: &findings)
        case .failure(let failure):
            findings.note = failure.note
            context.emit(.warning(jobs.endpoint, failure.note))
        }
        findings.endTLSPass()
    }

    /// One pass over the plan; `first` is a fresh connection for the first probe.
    private func probePass(
        _ jobs: TCPProbeJobs,
        tunnelled: Bool,
        first: TCPSession,
        deadline: ContinuousClock.Instant?,
        findings: inout EndpointFindings
    ) async {
        let endpoint = jobs.endpoint
        var queue = ProbeQueue(transport: .tcp)
        queue.replan(context.planner.plan(
            port: endpoint.port, transport: .tcp, tunnelled: tunnelled, softMatchedService: findings.softService))
        var spare: TCPSession? = first
        if queue.peek?.isNull == true, var session = spare, let null = queue.next() {
            spare = nil
            let report = await jobs.exchange(
                on: &session, probe: null, wait: await context.waitMilliseconds(for: null, on: endpoint),
                tunnelled: tunnelled, knownSoft: findings.softService)
            let decision = apply(
                report, port: endpoint.port, tunnelled: tunnelled, queue: &queue, findings: &findings)
            let wrappedLimit = Duration.milliseconds(null.tcpWrappedMilliseconds ?? Self.tcpWrappedDefault)
            if !tunnelled, report.end == .closed, report.bytes.isEmpty,
                ContinuousClock.now - session.connectedAt < wrappedLimit
            {
                findings.note = Self.tcpWrappedNote
                return
            }
            if decision == .stopPass || report.end == .cancelled {
                await session.close()
                return
            }
            if report.end == .deadline && session.isOpen {
                spare = session
            } else {
                await session.close()
            }
        }
        await parallelProbes(jobs, tunnelled: tunnelled, spare: spare, deadline: deadline, queue: &queue,
                             findings: &findings)
    }

    /// Runs the rest of the plan, at most `perPortParallelism` probes at a time. Hits are recorded as answers
    /// arrive, except a hit that ends the pass: it waits until every earlier probe in plan order has answered, so
    /// the pass ends on the same match a one-at-a-time scan would have made.
    private func parallelProbes(
        _ jobs: TCPProbeJobs,
        tunnelled: Bool,
        spare: TCPSession?,
        deadline: ContinuousClock.Instant?,
        queue: inout ProbeQueue,
        findings: inout EndpointFindings
    ) async {
        let parallelism = context.configuration.perPortParallelism
        let port = jobs.endpoint.port
        let (reports, mailbox) = AsyncStream.makeStream(of: TCPProbeJobs.Report.self)
        var spare: TCPSession? = spare
        // The job on the NULL probe's connection runs in its own task so that it can be stopped on its own.
        var listener: Task<Void, Never>?
        await withTaskGroup(of: Void.self) { group in
            var iterator = reports.makeAsyncIterator()
            var inFlight: Set<Int> = []
            var held: [TCPProbeJobs.Report] = []
            var position = 0
            var stopped = false
            var finished = false
            // The connection that carried the NULL probe keeps listening; it counts against the port's connections.
            var listening = false
            // A port that seems to cap connections per client address gets one probe at a time (`throttled`); an
            // unmatched answer-and-close is a refusal once the port has been seen to say something else.
            var throttled = false
            var suspects: [[UInt8]: [Probe]] = [:]
            var refusals: Set<[UInt8]> = []
            var retries: [String: Int] = [:]
            var pauseNext = false
            // Probes sent while another of our connections to the port was open, and those already sent again
            // because of it: a refusal they got may be our own doing even if the port never says anything else.
            var sentAlongside: Set<String> = []
            var rechecked: Set<String> = []
            while !finished, !Task.isCancelled {
                let slots = throttled ? 1 : max(1, parallelism - (listening ? 1 : 0))
                while !stopped, held.isEmpty, inFlight.count < slots, deadline.map({ .now < $0 }) ?? true,
                    let probe = queue.next()
                {
                    if pauseNext {
                        // A probe sent again: give the daemon time to count our closed connections out.
                        pauseNext = false
                        try? await Task.sleep(for: Self.throttlePause)
                    }
                    let wait = await context.waitMilliseconds(for: probe, on: jobs.endpoint)
                    var job = TCPProbeJobs.Job(
                        position: position, probe: probe, wait: wait, tunnelled: tunnelled,
                        knownSoft: findings.softService, listens: false, listenUntil: deadline)
                    if !inFlight.isEmpty || listening { sentAlongside.insert(probe.name) }
                    inFlight.insert(position)
                    position += 1
                    if let session = spare.take() {
                        // One probe at a time is nmap's schedule: the connection then closes after its probe.
                        job.listens = parallelism > 1
                        let handOff = SessionHandOff(session)
                        listener = Task { await jobs.run(job, on: handOff.take(), mailbox: mailbox) }
                    } else {
                        group.addTask { await jobs.run(job, on: nil, mailbox: mailbox) }
                    }
                }
                if inFlight.isEmpty && held.isEmpty {
                    // Nothing left to send. Answers suspected to be refusals were never confirmed (the port said
                    // nothing else), but those that came while our own connections were open may still hide the
                    // service: each such probe goes once more, alone.
                    let recheck = throttled && !stopped && (deadline.map { .now < $0 } ?? true)
                        ? suspects.values.joined().filter {
                            sentAlongside.contains($0.name) && !rechecked.contains($0.name)
                        }
                        : []
                    guard !recheck.isEmpty else { break }
                    for probe in recheck where rechecked.insert(probe.name).inserted {
                        queue.retry(probe)
                    }
                    pauseNext = true
                    continue
                }
                guard let report = await iterator.next() else { break }
                if report.isLate {
                    listening = false
                } else {
                    inFlight.remove(report.position)
                    if report.willListen { listening = true }
                }
                if !report.isLate, Self.looksThrottled(report, othersOpen: throttled || !inFlight.isEmpty || listening)
                {
                    // Answered and closed with nothing we know while other connections were open: daemons that
                    // cap connections per address (ngircd: "too many connections from your IP") do this. From now
                    // on one probe at a time, without the listening connection.
                    if !throttled {
                        throttled = true
                        // The listening connection closes before the next probe goes, and the next probe waits a
                        // moment, so that the daemon has counted our connections out (else it refuses that one too).
                        listener?.cancel()
                        await listener?.value
                        listening = false
                        pauseNext = true
                    }
                    if refusals.contains(report.bytes) {
                        if retries[report.probe.name, default: 0] < Self.throttleRetries {
                            retries[report.probe.name, default: 0] += 1
                            queue.retry(report.probe)
                            pauseNext = true
                        }
                    } else {
                        suspects[report.bytes, default: []].append(report.probe)
                    }
                } else if let failure = report.connectFailure {
                    // The port answered before; a refusal or silence now ends probing, it does not change the state.
                    findings.note = "probing stopped: \(failure.note)"
                    stopped = true
                } else if endsPass(report, tunnelled: tunnelled) {
                    held.append(report)
                } else if apply(report, port: port, tunnelled: tunnelled, queue: &queue, findings: &findings)
                    == .stopPass
                {
                    finished = true
                }
                if throttled, !report.bytes.isEmpty, suspects.keys.contains(where: { $0 != report.bytes }) {
                    // The port said something else: the repeated answers were refusals; their probes go again.
                    for (refusal, probes) in suspects where refusal != report.bytes {
                        refusals.insert(refusal)
                        for probe in probes where retries[probe.name, default: 0] < Self.throttleRetries {
                            retries[probe.name, default: 0] += 1
                            queue.retry(probe)
                            pauseNext = true
                        }
                        suspects[refusal] = nil
                    }
                }
                held.sort { $0.position < $1.position }
                while !finished, let next = held.first, !inFlight.contains(where: { $0 < next.position }) {
                    held.removeFirst()
                    if apply(next, port: port, tunnelled: tunnelled, queue: &queue, findings: &findings) == .stopPass {
                        finished = true
                    }
                }
            }
            group.cancelAll()
        }
        listener?.cancel()
        await listener?.value
        mailbox.finish()
        if var unused = spare { await unused.close() }
    }

    /// True for an answer that looks like a per-address connection cap rather than the service: the peer sent
    /// something, closed the connection, nothing matched, and other connections (ours, or, once the port is
    /// throttled, maybe another scanner's) were open at the time.
    static func looksThrottled(_ report: TCPProbeJobs.Report, othersOpen: Bool) -> Bool {
        othersOpen && !report.isLate && report.connectFailure == nil && report.end == .closed
            && report.hits.isEmpty && !report.bytes.isEmpty
    }

    /// True when recording `report` would end the pass (a final identification, or TLS seen in the plain pass).
    private func endsPass(_ report: TCPProbeJobs.Report, tunnelled: Bool) -> Bool {
        let configuration = context.configuration
        let endsOnHard = !configuration.reportAllMatches || configuration.stopAtFirstIdentification
        for hit in report.hits {
            if hit.isSoft {
                if configuration.stopAtFirstIdentification { return true }
            } else if endsOnHard || (hit.requestsTLSRestart && !tunnelled) {
                return true
            }
        }
        return !tunnelled && TLSRecordSniffer.looksLikeTLS(report.bytes)
    }

    /// Records one answer; a new soft match re-plans the probes not yet sent (nmap's soft-match pruning).
    private func apply(
        _ report: TCPProbeJobs.Report,
        port: UInt16,
        tunnelled: Bool,
        queue: inout ProbeQueue,
        findings: inout EndpointFindings
    ) -> EndpointFindings.Decision {
        let before = findings.softService
        let decision = findings.record(report.hits, response: report.bytes, probe: report.probe, tunnelled: tunnelled)
        findings.noteResponse(report.bytes, probe: report.probe, tunnelled: tunnelled)
        if report.hits.isEmpty && !report.crossProbeHits.isEmpty {
            findings.recordCrossProbe(report.crossProbeHits, response: report.bytes, probe: report.probe,
                                      tunnelled: tunnelled)
        }
        if findings.softService != before {
            queue.replan(context.planner.plan(
                port: port, transport: .tcp, tunnelled: tunnelled,
                softMatchedService: findings.softService))
        }
        return decision
    }

    /// How many times a probe is sent again after a refusal from a per-address connection cap.
    static let throttleRetries = 2
    /// The pause before a probe is sent again on a port suspected or known to cap connections per address.
    static let throttlePause: Duration = .milliseconds(250)

    /// nmap's compiled-in `tcpwrappedms` when a NULL probe has none.
    static let tcpWrappedDefault = 2_000
    /// The note for a port that closes the connection at once without a byte (TCP wrappers, nmap's `tcpwrapped`).
    static let tcpWrappedNote = "tcpwrapped"

    /// Reads the protocol version and the certificate from the TLS handler, on the channel's event loop.
    static func details(of channel: any Channel) async -> TLSDetails? {
        try? await channel.eventLoop.submit {
            let sync = channel.pipeline.syncOperations
            return TLSDetails(version: try sync.nioSSL_tlsVersion(), certificate: try sync.nioSSL_peerCertificate())
        }.get()
    }
}
