import AmapModel
import AmapSignatures
import NIOCore

/// The per-connection work of a TCP port: open a connection (paced by `--rate`, timed for the RTT estimate), and
/// run the probes the port's schedule puts on it, reporting every read with the matcher's verdict.
struct TCPProbeJobs: Sendable {
    /// The shared engine state.
    let context: EngineContext
    /// The port being probed.
    let endpoint: Endpoint

    /// What the port's task tells a connection to do.
    enum Command: Sendable {
        /// Send the attempt's probe, wait `wait` ms; `knownSoft` is the soft-matched service at that moment.
        case send(ProbeSchedule.Attempt, wait: Int, knownSoft: String?)
    }

    /// What a connection reports to the port's task.
    struct Report: Sendable {
        /// The schedule event.
        var event: ProbeSchedule.Event
        /// When it happened.
        var at: ContinuousClock.Instant
        /// For `.received`: the hits of the probe's own chain on the bytes.
        var hits: [Identification] = []
        /// For `.failed`: why.
        var failure: ConnectAttemptFailure?
        /// For `.waitEnded` and `.peerClosed`: everything the probe received (its answer for the record), and whose.
        var answer: Answer?
    }

    /// Everything one probe received, once its exchange ended.
    struct Answer: Sendable {
        var position: Int
        var bytes: [UInt8]
    }

    /// Opens a connection (TLS when `tls`), after the rate limiter allows it; a plain connect's duration is an
    /// RTT sample for the host.
    func open(tls: Bool) async -> Result<TCPSession, ConnectAttemptFailure> {
        if let limiter = context.rateLimiter { await limiter.acquire() }
        let start = ContinuousClock.now
        let result = await TCPConnector(context: context).connect(endpoint, tls: tls)
        if !tls, case .success(let session) = result {
            // Through a proxy the sample is the tunnel request's round trip (proxy to target and back), not the
            // whole open, which adds the greeting and authentication rounds with the proxy alone.
            let elapsed = session.tunnelRoundTrip ?? (ContinuousClock.now - start)
            // A connect that needed a second attempt measured the timeout, not the path.
            if elapsed < .milliseconds(context.configuration.connectTimeoutMilliseconds) {
                await context.timings.add(elapsed, for: endpoint.address)
            }
        }
        return result
    }

    /// One connection's life: opens it (unless `given`), reports `.connected`, runs the probes it is told to send,
    /// and closes it when the commands end, the peer closes, or the task is cancelled. Returns the answer of a
    /// probe cut short by cancellation (the port's task closed the connection after the answer grace).
    ///
    /// Bytes are reported at the first read and at a verdict, not at every read: a report holding the answer so
    /// far would copy the session's buffer on every read (a flood up to the byte cap would cost its square).
    func connection(
        _ connection: Int,
        given: TCPSession?,
        tunnelled: Bool,
        commands: AsyncStream<Command>,
        mailbox: AsyncStream<Report>.Continuation
    ) async -> Answer? {
        var session: TCPSession
        if let given {
            session = given
        } else {
            switch await open(tls: tunnelled) {
            case .success(let fresh):
                session = fresh
            case .failure(let failure):
                mailbox.yield(Report(event: .failed(connection: connection, failure.scheduleFailure), at: .now,
                                     failure: failure))
                return nil
            }
        }
        mailbox.yield(Report(event: .connected(connection: connection), at: session.connectedAt))
        var cut: Answer?
        for await command in commands {
            guard case .send(let attempt, let wait, let knownSoft) = command else { break }
            let outcome = await exchange(on: &session, attempt, wait: wait, tunnelled: tunnelled,
                                         knownSoft: knownSoft, mailbox: mailbox)
            let answer = Answer(position: attempt.position, bytes: outcome.bytes)
            switch outcome.end {
            case .deadline, .capReached:
                mailbox.yield(Report(event: .waitEnded(position: attempt.position), at: .now, answer: answer))
                continue
            case .closed:
                await session.close()
                mailbox.yield(Report(event: .peerClosed(connection: connection), at: .now, answer: answer))
                return nil
            case .satisfied:
                continue
            case .cancelled:
                cut = answer
            }
            break
        }
        await session.close()
        return cut
    }

    /// Sends the attempt's probe and reports its first read and its verdict, until a verdict, the wait, the byte
    /// cap or the close.
    private func exchange(
        on session: inout TCPSession,
        _ attempt: ProbeSchedule.Attempt,
        wait: Int,
        tunnelled: Bool,
        knownSoft: String?,
        mailbox: AsyncStream<Report>.Continuation
    ) async -> TCPSession.Outcome {
        let matcher = context.matcher
        let configuration = context.configuration
        let probe = attempt.probe
        let started = ContinuousClock.now
        var firstByte: Duration?
        let outcome = await session.exchange(BeginExchange(payload: probe.payload, waitMilliseconds: wait)) { bytes in
            let now = ContinuousClock.now
            let first = firstByte == nil
            if first { firstByte = now - started }
            let hits = ProbeVerdicts.hits(bytes, probe: probe, transport: .tcp, tunnelled: tunnelled, matcher: matcher,
                                          configuration: configuration)
            let verdict = ProbeVerdicts.verdict(hits: hits, bytes: bytes, tunnelled: tunnelled, knownSoft: knownSoft,
                                                configuration: configuration)
            if first || verdict != .none {
                // A copy of exactly these bytes: `bytes` shares the session's buffer, allocated at the full cap, and
                // keeping it would keep that allocation alive (and make the session's next read copy it).
                let copy = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                    count = buffer.initialize(fromContentsOf: bytes)
                }
                mailbox.yield(Report(event: .received(position: attempt.position, bytes: copy, verdict: verdict),
                                     at: now, hits: hits))
            }
            return verdict != .none
        }
        // A probe's first byte measures path and server together; a banner's delay is the greeter's choice.
        if let firstByte, !probe.isNull { await context.timings.add(firstByte, for: endpoint.address) }
        return outcome
    }
}

extension ConnectAttemptFailure {
    /// The schedule's view of the failure: refused, or anything else.
    var scheduleFailure: ProbeSchedule.Failure {
        if portState == .closed { return .refused }
        return .other
    }
}
