import AmapModel
import AmapSignatures

/// Map mode over UDP: the planner's UDP probes, each from its own connected socket, several at a time, as the
/// port's `ProbeSchedule` says.
///
/// Any answer makes the port `open`; ICMP port unreachable makes it `closed`; silence after every probe leaves it
/// `open|filtered`. UDP has no NULL probe: empty payloads are skipped. A probe ends at its first answer plus the
/// answer grace (a multi-datagram answer), at a verdict, or when its wait (with its retransmits) runs out.
struct UDPServiceMapper: Sendable {
    /// The shared engine state.
    var context: EngineContext

    /// What a socket's task reports to the port's task.
    private struct Report: Sendable {
        var event: ProbeSchedule.Event
        var at: ContinuousClock.Instant
        var hits: [Identification] = []
        var failure: ConnectAttemptFailure?
    }

    /// Probes `endpoint` and returns what was learned.
    func run(_ endpoint: Endpoint) async -> PortResult {
        let configuration = context.configuration
        var findings = EndpointFindings(endpoint: endpoint, configuration: configuration, emit: context.emit)
        var settings = ProbeSchedule.Settings(transport: .udp)
        // Over UDP the first round is as wide as the listening limit: a datagram holds no server state, so the
        // likeliest probes all get the promised wait at once, and a port that answers only its own protocol's probe
        // (krb5kdc, Kamailio) costs one wait, not a silent first round and then a wait.
        settings.parallelism = configuration.perPortParallelism * ScanConfiguration.listeningSocketsFactor
        settings.deadline = await context.probingDeadline(for: endpoint, portStart: .now)
        let adaptive = await context.answerGraceMilliseconds(on: endpoint)
        settings.answerGrace = .milliseconds(adaptive)
        if configuration.timingProfile(for: endpoint.address) != nil {
            settings.slotRelease = .milliseconds(adaptive)
            settings.openLimit = settings.parallelism
        }
        var schedule = ProbeSchedule(
            settings: settings,
            plan: context.planner.plan(port: endpoint.port, transport: .udp, tunnelled: false, softMatchedService: nil))

        let (reports, mailbox) = AsyncStream.makeStream(of: Report.self)
        var iterator = reports.makeAsyncIterator()
        var sockets: [Int: Task<Void, Never>] = [:]
        var timers: [Task<Void, Never>] = []
        var answers: [Int: (bytes: [UInt8], hits: [Identification])] = [:]
        var failures: [Int: ConnectAttemptFailure] = [:]
        var pending = schedule.start(at: .now)
        var ending: ProbeSchedule.Ending?

        while ending == nil, !Task.isCancelled {
            while !pending.isEmpty, ending == nil {
                switch pending.removeFirst() {
                case .connect:
                    break  // UDP sockets are opened by `.send`.
                case .send(let attempt):
                    let wait = attempt.wait == .promised ? configuration.responseTimeoutMilliseconds
                        : await context.waitMilliseconds(for: attempt.probe, on: endpoint, unknownRTT: 0)
                    sockets[attempt.connection] = Task {
                        await probe(endpoint, attempt, wait: wait, mailbox: mailbox)
                    }
                case .armTimer(let timer, let at):
                    timers.append(Task {
                        try? await Task.sleep(until: at, clock: .continuous)
                        if !Task.isCancelled { mailbox.yield(Report(event: .timer(timer), at: .now)) }
                    })
                case .close(let connection):
                    sockets.removeValue(forKey: connection)?.cancel()
                case .record(let position):
                    let probe = schedule.attempt(at: position).probe
                    let answer = answers[position] ?? ([], [])
                    answers[position] = nil
                    let before = findings.softService
                    _ = findings.record(answer.hits, response: answer.bytes, probe: probe, tunnelled: false)
                    findings.noteResponse(answer.bytes, probe: probe, tunnelled: false)
                    let replan = findings.softService == before ? nil : context.planner.plan(
                        port: endpoint.port, transport: .udp, tunnelled: false,
                        softMatchedService: findings.softService)
                    pending += schedule.recorded(position: position, replan: replan, at: .now)
                case .finish(let end):
                    ending = end
                }
            }
            guard ending == nil, let report = await iterator.next() else { break }
            switch report.event {
            case .received(let position, let bytes, _):
                answers[position] = (bytes, report.hits)
            case .failed(let connection, _):
                failures[connection] = report.failure
                sockets[connection] = nil
            default:
                break
            }
            pending = schedule.handle(report.event, at: report.at)
        }
        for timer in timers { timer.cancel() }
        for (_, socket) in sockets { socket.cancel() }
        for (_, socket) in sockets { await socket.value }
        mailbox.finish()

        var state = schedule.answeredAnything ? PortState.open : .openFiltered
        switch ending {
        case .unopened(let connection, _), .stopped(let connection):
            if let failure = failures[connection] {
                findings.note = failure.note
                findings.status = failure.status
                var kind = ScanWarning.Kind.datagramExchangeFailed
                if case .localResourceExhausted = failure {
                    state = .unknown
                    kind = .localResourcesExhausted
                }
                context.emit(.warning(endpoint, ScanWarning(kind, failure.note)))
            } else {
                // Reported by the formatters from the finished result (state closed), which know about -q.
                findings.note = "port unreachable"
                if case .unopened = ending { state = .closed }
            }
        case .done, .tcpWrapped, nil:
            break
        }
        await RPCPass(context: context).runIfNamed(endpoint, deadline: settings.deadline, findings: &findings)
        findings.finish()
        return findings.result(state: state)
    }

    /// One probe from its own socket: reports every datagram with the matcher's verdict, then how it ended.
    private func probe(
        _ endpoint: Endpoint,
        _ attempt: ProbeSchedule.Attempt,
        wait: Int,
        mailbox: AsyncStream<Report>.Continuation
    ) async {
        if let limiter = context.rateLimiter { await limiter.acquire() }
        let exchange = UDPExchange(context: context)
        let matcher = context.matcher
        let configuration = context.configuration
        let probe = attempt.probe
        let started = ContinuousClock.now
        var firstAnswer: Duration?
        let plan = exchange.plan(payload: probe.payload, waitMilliseconds: wait,
                                 acceptsAnyReplyPort: probe.acceptsAnyReplyPort)
        let outcome = await exchange.run(endpoint, plan: plan) { bytes in
            if firstAnswer == nil { firstAnswer = .now - started }
            let hits = ProbeVerdicts.hits(bytes, probe: probe, transport: .udp, tunnelled: false, matcher: matcher,
                                          configuration: configuration)
            let verdict = ProbeVerdicts.verdict(hits: hits, bytes: bytes, tunnelled: false, knownSoft: nil,
                                                configuration: configuration)
            // An exact copy: `bytes` may share the exchange's buffer, allocated at the full cap.
            let copy = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                count = buffer.initialize(fromContentsOf: bytes)
            }
            mailbox.yield(Report(event: .received(position: attempt.position, bytes: copy, verdict: verdict),
                                 at: .now, hits: hits))
            return verdict != .none
        }
        // An answer's delay measures path and server together, as a TCP probe's first byte does.
        if let firstAnswer { await context.timings.add(firstAnswer, for: endpoint.address) }
        guard !Task.isCancelled else { return }
        switch outcome {
        case .answered(_, satisfied: true):
            break
        case .answered, .silent:
            mailbox.yield(Report(event: .waitEnded(position: attempt.position), at: .now))
        case .refused:
            mailbox.yield(Report(event: .failed(connection: attempt.connection, .refused), at: .now))
        case .failed(let failure):
            mailbox.yield(Report(event: .failed(connection: attempt.connection, .other), at: .now,
                                 failure: failure))
        }
    }
}
