import AmapModel
import AmapSignatures
import NIOCore
import NIOSSL

/// Map mode over TCP: connect, run the planner's probes (NULL first) as the port's `ProbeSchedule` says, and when
/// the port speaks TLS, run them again inside TLS.
///
/// This type only executes the schedule's actions: connections (`TCPProbeJobs.connection`), timers, records into
/// `EndpointFindings`. Which probe goes when, on which connection, with which wait, and when the pass ends, is the
/// schedule's.
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
            findings.status = failure.status
            if case .localResourceExhausted = failure {
                context.emit(.warning(endpoint, ScanWarning(.localResourcesExhausted, failure.note)))
            }
            return findings.result(state: failure.portState)
        }
        await probePass(jobs, tunnelled: false, first: first, deadline: deadline, findings: &findings)
        if findings.tlsRequested && context.configuration.tlsPass && !Task.isCancelled {
            await tlsPass(jobs, deadline: deadline, findings: &findings)
        }
        await RPCPass(context: context).runIfNamed(endpoint, deadline: deadline, findings: &findings)
        findings.finish()
        if context.configuration.startTLS, !Task.isCancelled, let kind = Self.startTLSCandidate(findings) {
            findings.tls = await StartTLSUpgrade(context: context).run(endpoint, kind: kind, deadline: deadline)
        }
        return findings.result(state: .open)
    }

    /// `--starttls`: the upgrade protocol of a port identified in the clear as a service that has one.
    private static func startTLSCandidate(_ findings: EndpointFindings) -> StartTLSProtocol? {
        guard findings.tls == nil, !findings.tlsRequested else { return nil }
        let named = findings.identifications.first { !$0.isSoft } ?? findings.identifications.first
        guard let named, !named.isTunnelled else { return nil }
        return StartTLSProtocol(service: named.service)
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
            findings.status = failure.status
            context.emit(.warning(jobs.endpoint, ScanWarning(.tlsPassFailed, failure.note)))
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
        let configuration = context.configuration
        let plan = context.planner.plan(
            port: endpoint.port, transport: .tcp, tunnelled: tunnelled, softMatchedService: findings.softService)
        var settings = ProbeSchedule.Settings(transport: .tcp)
        settings.tunnelled = tunnelled
        settings.parallelism = configuration.perPortParallelism
        settings.deadline = deadline
        settings.tcpWrappedLimit = .milliseconds(
            plan.first(where: \.isNull)?.tcpWrappedMilliseconds ?? Self.tcpWrappedDefault)
        let adaptive = await context.answerGraceMilliseconds(on: endpoint)
        settings.answerGrace = .milliseconds(adaptive)
        settings.promotesCrossProbeHints = !configuration.nmapVerdicts
        if configuration.timingProfile(for: endpoint.address) != nil {
            settings.slotRelease = .milliseconds(adaptive)
            settings.openLimit = configuration.perPortParallelism * ScanConfiguration.listeningConnectionsFactor
        }
        var schedule = ProbeSchedule(settings: settings, plan: plan)

        let (reports, mailbox) = AsyncStream.makeStream(of: TCPProbeJobs.Report.self)
        var iterator = reports.makeAsyncIterator()
        var connections:
            [Int: (task: Task<TCPProbeJobs.Answer?, Never>, commands: AsyncStream<TCPProbeJobs.Command>.Continuation)]
            = [:]
        var timers: [Task<Void, Never>] = []
        // Each probe's answer; hits nil when bytes came after the last verdict (matched again at the record).
        var answers: [Int: (bytes: [UInt8], hits: [Identification]?)] = [:]
        var failures: [Int: ConnectAttemptFailure] = [:]
        var given: TCPSession? = first
        var pending = schedule.start(at: .now)
        var ending: ProbeSchedule.Ending?

        while ending == nil, !Task.isCancelled {
            while !pending.isEmpty, ending == nil {
                let action = pending.removeFirst()
                switch action {
                case .connect(let connection):
                    let (commands, continuation) = AsyncStream.makeStream(of: TCPProbeJobs.Command.self)
                    let handOff = given.take().map(SessionHandOff.init)
                    let task = Task {
                        await jobs.connection(connection, given: handOff?.take(), tunnelled: tunnelled,
                                              commands: commands, mailbox: mailbox)
                    }
                    connections[connection] = (task, continuation)
                case .send(let attempt):
                    let wait = await waitMilliseconds(attempt, on: endpoint)
                    connections[attempt.connection]?.commands.yield(
                        .send(attempt, wait: wait, knownSoft: findings.softService))
                case .armTimer(let timer, let at):
                    timers.append(Task {
                        try? await Task.sleep(until: at, clock: .continuous)
                        if !Task.isCancelled {
                            mailbox.yield(TCPProbeJobs.Report(event: .timer(timer), at: .now))
                        }
                    })
                case .close(let connection):
                    if let open = connections.removeValue(forKey: connection) {
                        open.commands.finish()
                        open.task.cancel()
                        // Closed before anything else happens, so the port's next connection never overlaps it.
                        if let cut = await open.task.value, cut.bytes.count > answers[cut.position]?.bytes.count ?? 0 {
                            answers[cut.position] = (cut.bytes, nil)
                        }
                    }
                case .record(let position):
                    let probe = schedule.attempt(at: position).probe
                    let answer = answers[position] ?? ([], [])
                    let hits = answer.hits ?? ProbeVerdicts.hits(
                        answer.bytes, probe: probe, transport: .tcp, tunnelled: tunnelled, matcher: context.matcher,
                        configuration: configuration)
                    // Recorded once: the findings keep what they need (a flood's answers must not pile up here).
                    answers[position] = nil
                    let next = record(answer.bytes, hits: hits, probe: probe, tunnelled: tunnelled,
                                      port: endpoint.port, findings: &findings)
                    pending += schedule.recorded(position: position, replan: next.replan, confirm: next.confirm,
                                                 hints: next.hints, at: .now)
                case .finish(let end):
                    ending = end
                }
            }
            guard ending == nil, let report = await iterator.next() else { break }
            if let answer = report.answer, answer.bytes.count > answers[answer.position]?.bytes.count ?? 0 {
                answers[answer.position] = (answer.bytes, nil)
            }
            switch report.event {
            case .received(let position, let bytes, _):
                answers[position] = (bytes, report.hits)
            case .failed(let connection, _):
                failures[connection] = report.failure
                connections[connection] = nil
            case .peerClosed(let connection):
                connections[connection] = nil
            default:
                break
            }
            pending = schedule.handle(report.event, at: report.at)
        }
        switch ending {
        case .tcpWrapped:
            findings.note = Self.tcpWrappedNote
            // nmap's tcpwrapped is an answer: the port closed at once, which is what it had to say.
            findings.status = .success
        case .stopped(let connection), .unopened(let connection, _):
            if let failure = failures[connection] {
                findings.note = "probing stopped: \(failure.note)"
                findings.status = failure.status
            }
        case .done, nil:
            break
        }
        for timer in timers { timer.cancel() }
        for (_, open) in connections {
            open.commands.finish()
            open.task.cancel()
        }
        for (_, open) in connections { _ = await open.task.value }
        mailbox.finish()
        if var unused = given { await unused.close() }
    }

    /// The wait in milliseconds for an attempt: `-t` (the banner wait for the NULL probe) when promised, else the
    /// host's adaptive wait.
    private func waitMilliseconds(_ attempt: ProbeSchedule.Attempt, on endpoint: Endpoint) async -> Int {
        switch attempt.wait {
        case .promised:
            let configuration = context.configuration
            return attempt.probe.isNull ? configuration.bannerWaitMilliseconds
                : configuration.responseTimeoutMilliseconds
        case .adaptive:
            return await context.waitMilliseconds(for: attempt.probe, on: endpoint)
        }
    }

    /// Records one answer. Returns the new plan when a soft match changed the service (nmap's soft-match pruning),
    /// and the probe whose line alone named the answer (a cross-probe hint: sent next with the built-in database,
    /// sent again alone when starved with either).
    private func record(
        _ bytes: [UInt8],
        hits: [Identification],
        probe: Probe,
        tunnelled: Bool,
        port: UInt16,
        findings: inout EndpointFindings
    ) -> (replan: [Probe]?, confirm: Probe?, hints: [String]) {
        let before = findings.softService
        _ = findings.record(hits, response: bytes, probe: probe, tunnelled: tunnelled)
        findings.noteResponse(bytes, probe: probe, tunnelled: tunnelled)
        var confirm: Probe?
        var hints: [String] = []
        if hits.isEmpty, !bytes.isEmpty, let cross = context.matcher as? any CrossProbeMatching {
            hints = cross.probesWithHardLines(matching: bytes, probe: probe, transport: .tcp)
            let crossHits = cross.identifyAcrossProbes(bytes, probe: probe, transport: .tcp, tunnelled: tunnelled)
            if let hit = crossHits.first {
                // With nmap's verdicts a cross-probe hit never names the port: it only points the schedule at the
                // probe whose line it is (sent again alone if our other connections starved it).
                if !context.configuration.nmapVerdicts {
                    findings.recordCrossProbe(crossHits, response: bytes, probe: probe, tunnelled: tunnelled)
                }
                confirm = hit.evidence.matchedViaProbe.flatMap {
                    cross.owningProbe(named: $0, transport: .tcp)
                }
            }
        }
        guard findings.softService != before else { return (nil, confirm, hints) }
        return (context.planner.plan(port: port, transport: .tcp, tunnelled: tunnelled,
                                     softMatchedService: findings.softService), confirm, hints)
    }

    /// nmap's compiled-in `tcpwrappedms` when a NULL probe has none.
    static let tcpWrappedDefault = 2_000
    /// The note for a port that closes the connection at once without a byte (TCP wrappers, nmap's `tcpwrapped`).
    static let tcpWrappedNote = "tcpwrapped"

    /// Reads the protocol version and the certificate from the TLS handler, on the channel's event loop.
    static func details(of channel: any Channel) async -> TLSDetails? {
        try? await channel.eventLoop.submit {
            let sync = channel.pipeline.syncOperations
            var details = TLSDetails(
                version: try sync.nioSSL_tlsVersion(), certificate: try sync.nioSSL_peerCertificate(),
                cipher: try? sync.handler(type: ServerHelloSniffer.self).cipher)
            details.chainLength = (try? sync.nioSSL_peerValidatedCertificateChain())?.map(\.count)
            return details
        }.get()
    }
}

/// Moves an open connection from the port's task to the one task that uses it.
///
/// `@unchecked Sendable` is sound because of how it is used: the port task creates the box around a session it
/// stops using at that moment and hands the box to exactly one task, which calls `take()` once; so the session
/// is touched by one task at a time and never by two.
final class SessionHandOff: @unchecked Sendable {
    private var session: TCPSession?

    init(_ session: TCPSession) {
        self.session = session
    }

    /// The session, once; nil afterwards.
    func take() -> TCPSession? {
        defer { session = nil }
        return session
    }
}
