import AmapModel
import AmapSignatures
import NIOCore

/// The per-connection work of a TCP port: open a connection (paced by `--rate`, timed for the RTT estimate), send
/// one probe, read and match its answer, and report to the port's task.
struct TCPProbeJobs: Sendable {
    /// The shared engine state.
    let context: EngineContext
    /// The port being probed.
    let endpoint: Endpoint

    /// One probe to run on its own connection.
    struct Job: Sendable {
        /// Its place in the pass, in send order.
        var position: Int
        var probe: Probe
        var wait: Int
        var tunnelled: Bool
        /// The soft-matched service when the job started: a soft hit naming it again does not end the read.
        var knownSoft: String?
        /// Keep the connection open after the answer and report whatever else arrives, until the pass ends (the
        /// connection that carried the NULL probe: a slow greeter's banner shows up here).
        var listens: Bool
        /// When listening ends at the latest.
        var listenUntil: ContinuousClock.Instant?
    }

    /// What one job learned.
    struct Report: Sendable {
        var position: Int
        var probe: Probe
        /// Everything received for the probe (at most the byte cap).
        var bytes: [UInt8]
        var end: TCPSession.End
        /// The matcher's hits for the probe's own chain.
        var hits: [Identification] = []
        /// Hits from other probes' lines, when the own chain had none.
        var crossProbeHits: [Identification] = []
        /// True for bytes that arrived after the probe's wait, on a listening connection (which then closes).
        var isLate = false
        /// True when the connection goes on listening after this report.
        var willListen = false
        /// Set when no connection could be opened.
        var connectFailure: ConnectAttemptFailure?
    }

    /// The longest a listening connection stays open when the port has no probing deadline.
    static let maximumListenMilliseconds = 600_000

    /// Opens a connection (TLS when `tls`), after the rate limiter allows it; a plain connect's duration is an
    /// RTT sample for the host.
    func open(tls: Bool) async -> Result<TCPSession, ConnectAttemptFailure> {
        if let limiter = context.rateLimiter { await limiter.acquire() }
        let start = ContinuousClock.now
        let result = await TCPConnector(context: context).connect(endpoint, tls: tls)
        if !tls, case .success = result {
            let elapsed = ContinuousClock.now - start
            // A connect that needed a second attempt measured the timeout, not the path.
            if elapsed < .milliseconds(context.configuration.connectTimeoutMilliseconds) {
                await context.timings.add(elapsed, for: endpoint.address)
            }
        }
        return result
    }

    /// Sends `probe` on `session` and reads its answer until a hit, TLS (in the plain pass), the wait, the byte
    /// cap or the close.
    func exchange(
        on session: inout TCPSession,
        probe: Probe,
        wait: Int,
        tunnelled: Bool,
        knownSoft: String? = nil,
        position: Int = -1
    ) async -> Report {
        let matcher = context.matcher
        let started = ContinuousClock.now
        var firstByte: Duration?
        var hits: [Identification] = []
        let outcome = await session.exchange(BeginExchange(payload: probe.payload, waitMilliseconds: wait)) { bytes in
            if firstByte == nil { firstByte = ContinuousClock.now - started }
            hits = matcher.identify(bytes, probe: probe, transport: .tcp, tunnelled: tunnelled)
            return Self.readIsDone(hits: hits, bytes: bytes, tunnelled: tunnelled, knownSoft: knownSoft)
        }
        // A probe's first byte measures path and server together; a banner's delay is the greeter's choice.
        if let firstByte, !probe.isNull { await context.timings.add(firstByte, for: endpoint.address) }
        var report = Report(position: position, probe: probe, bytes: outcome.bytes, end: outcome.end, hits: hits)
        if hits.isEmpty, !outcome.bytes.isEmpty, outcome.end != .cancelled,
            let cross = matcher as? any CrossProbeMatching
        {
            report.crossProbeHits = cross.identifyAcrossProbes(
                outcome.bytes, probe: probe, transport: .tcp, tunnelled: tunnelled)
        }
        return report
    }

    /// Runs `job` on `session` (or a fresh connection), reports, and closes the connection.
    func run(_ job: Job, on given: TCPSession?, mailbox: AsyncStream<Report>.Continuation) async {
        var session: TCPSession
        if let given {
            session = given
        } else {
            switch await open(tls: job.tunnelled) {
            case .success(let fresh):
                session = fresh
            case .failure(let failure):
                mailbox.yield(Report(position: job.position, probe: job.probe, bytes: [], end: .closed,
                                     connectFailure: failure))
                return
            }
        }
        var report = await exchange(on: &session, probe: job.probe, wait: job.wait, tunnelled: job.tunnelled,
                                    knownSoft: job.knownSoft, position: job.position)
        report.willListen = job.listens && report.end == .deadline && session.isOpen && !Task.isCancelled
        if report.willListen {
            mailbox.yield(report)
            await listen(job, on: &session, mailbox: mailbox)
            await session.close()
        } else {
            // Closed before reporting, so the port's next connection never overlaps this one.
            await session.close()
            mailbox.yield(report)
        }
    }

    /// Keeps reading the connection until a hit, the close, or cancellation (the pass ended); bytes are matched as
    /// an answer to the probe sent on it, whose chain ends with the NULL probe's lines.
    private func listen(_ job: Job, on session: inout TCPSession, mailbox: AsyncStream<Report>.Continuation) async {
        let remaining = job.listenUntil.map { HostTimings.milliseconds($0 - .now) }
            ?? Double(Self.maximumListenMilliseconds)
        let wait = Int(max(1, min(remaining, Double(Self.maximumListenMilliseconds))))
        let listener = Probe(name: job.probe.name, transport: .tcp, payload: [], location: job.probe.location)
        var report = await exchange(on: &session, probe: listener, wait: wait, tunnelled: job.tunnelled,
                                    knownSoft: job.knownSoft, position: job.position)
        // Closed before reporting (the caller's close is then a no-op), so the slot it frees is really free.
        await session.close()
        guard !report.bytes.isEmpty, report.end != .cancelled else { return }
        // Matched as the probe's answer (its chain), but reported under the probe that was really sent.
        report.probe = job.probe
        report.isLate = true
        mailbox.yield(report)
    }

    /// Reading stops at a hard hit, a soft hit for a service not known yet, or (plain pass) a TLS record.
    static func readIsDone(hits: [Identification], bytes: [UInt8], tunnelled: Bool, knownSoft: String?) -> Bool {
        if hits.contains(where: { !$0.isSoft || $0.service != knownSoft }) { return true }
        return !tunnelled && TLSRecordSniffer.looksLikeTLS(bytes)
    }
}

/// Moves an open connection from the port's task to the one child task that uses it next.
///
/// `@unchecked Sendable` is sound because of how it is used: the port task creates the box around a session it
/// stops using at that moment and hands the box to exactly one child task, which calls `take()` once; so the session
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
