import AmapModel
import AmapSignatures

/// The per-port probe schedule of one pass, shared by TCP and UDP: a value type that takes events (connected,
/// bytes received with the matcher's verdict, peer closed, refused, a wait or timer ending) and returns the
/// actions the executor must take (open a connection, send probe N, arm a timer, close, record, finish).
///
/// It reads no clock and touches no socket: every event comes with its instant, so tests drive it with a virtual
/// clock. The mappers (`TCPServiceMapper`, `UDPServiceMapper`) only execute its actions.
///
/// The rules:
/// - TCP: the first connection carries the NULL probe; when its wait ends with nothing received and the connection
///   open, the next probe goes on that same connection (nmap's rule) and every later probe opens its own. At most `parallelism`
///   connections are open at once. UDP: every probe has its own socket, `parallelism` at a time.
/// - Waits (`Wait`): the promised wait (`-t`) for every probe of the first round (the NULL connection's follow-up
///   probe and the `parallelism - 1` after it on TCP; the first `parallelism` on UDP), for every probe sent after
///   the port answered anything, and for probes sent again; an adaptive wait for later rounds on a port that has
///   said nothing. The NULL probe itself waits adaptively when a probe follows on its connection, whose promised
///   wait then covers a slow banner. Those adaptive rounds on a silent port run `openLimit` wide once the promised
///   round is over (`silentRoundsWidened`).
/// - With adaptive timing (`slotRelease`), on a port that has answered something, a probe with the promised wait
///   holds its slot only for the adaptive wait, then keeps listening until its own wait ends without holding one
///   (at most `openLimit` open in all), so a port that answers some probes and ignores others costs `-t` about
///   once, not once per round.
/// - An answer that names nothing keeps its probe reading for `answerGrace`, then the probe is settled. A
///   connection is closed only when its own probe is settled or the pass ends, never because another answered.
/// - A final verdict (a hard match, TLS in the plain pass) is recorded only once every earlier probe is settled,
///   so the pass ends on the match a one-at-a-time scan would make; nothing new is sent meanwhile.
/// - A cross-probe hint (built-in database: an answer that only another probe's line names) is confirmed by sending
///   that probe next, once per pass, whatever its rarity or ports; its own chain then decides.
/// - Per-address caps: an answer-and-close that names nothing, or a refused connect, while other connections of
///   ours are open makes the port one-at-a-time (`throttled`); such answers are recorded all the same, and their
///   probes go again, alone, once the answer is known to be a refusal (or at the end, once, if it never is).
struct ProbeSchedule: Sendable {
    let settings: Settings
    private var queue: ProbeQueue
    private var attempts: [AttemptState] = []
    private var connections: [Int: ConnectionState] = [:]
    private var nextConnection = 0
    private var finished = false
    /// Records handed to the executor and not yet confirmed with `.recorded` (nothing is decided meanwhile).
    private var unconfirmedRecords = 0
    /// Positions whose final verdict waits for earlier probes.
    private var held: Set<Int> = []
    /// True once the port has sent any byte.
    private(set) var answeredAnything = false
    /// True once the port is probed one connection at a time.
    private(set) var throttled = false
    private var suspects: [[UInt8]: [Int]] = [:]
    private var refusals: Set<[UInt8]> = []
    private var retries: [String: Int] = [:]
    private var retried: Set<String> = []
    private var rechecked: Set<String> = []
    private var confirming: Set<String> = []
    /// Probes another probe's answer pointed to (cross-probe hints): if one hears nothing while our other
    /// connections are open, it goes again alone, once.
    private var hinted: Set<String> = []
    /// Probes to be sent alone (no other connection of ours open) when they come up; those sent so; the lone
    /// attempt's position.
    private var lone: Set<String> = []
    private var sentAlone: Set<String> = []
    private var loneAttempt: Int?
    private var pauseNext = false
    private var paused = false

    private struct AttemptState {
        var attempt: Attempt
        var sent = false
        var settled = false
        var bytes: [UInt8] = []
        var verdict = Verdict.none
        var graceArmed = false
        /// Another connection of ours was open when it was sent.
        var alongside = false
        /// Past its slot release: listening without holding a slot.
        var listening = false
    }

    private struct ConnectionState {
        var connected = false
        var connectedAt: ContinuousClock.Instant?
        /// The attempt on it now.
        var attempt: Int?
        /// The NULL probe's connection, idle after the NULL wait: the next probe goes on it.
        var reusable = false
        var everCarried = 0
    }

    /// A schedule for one pass over `plan`.
    init(settings: Settings, plan: [Probe]) {
        self.settings = settings
        self.queue = ProbeQueue(transport: settings.transport)
        self.queue.replan(Self.usable(plan, settings.transport))
    }

    /// True once `.finish` was returned.
    var isFinished: Bool { finished }

    /// The probe of the attempt at `position`.
    func attempt(at position: Int) -> Attempt { attempts[position].attempt }

    /// The pass begins.
    mutating func start(at now: ContinuousClock.Instant) -> [Action] {
        guard settings.transport == .tcp else { return advance(now) }
        let connection = openConnection()
        if let probe = queue.next() { bind(probe, to: connection, wait: .promised) }
        return [.connect(connection: connection)]
    }

    /// The executor recorded the answer at `position`; `plan` is the planner's new plan when the soft-matched
    /// service changed; `confirm` is the probe whose line named the answer across probes, to be sent next (when
    /// `promotesCrossProbeHints`); `hints` are every probe with a hard line for the answer (see `sendAloneIfStarved`).
    mutating func recorded(position: Int, replan plan: [Probe]?, confirm: Probe? = nil, hints: [String] = [],
                           at now: ContinuousClock.Instant) -> [Action] {
        unconfirmedRecords = max(0, unconfirmedRecords - 1)
        if let plan { queue.replan(Self.usable(plan, settings.transport)) }
        if let confirm, confirm.transport == settings.transport, !confirm.isNull, settings.promotesCrossProbeHints,
            !queue.wasSent(confirm.name), confirming.insert(confirm.name).inserted
        {
            queue.prioritise(confirm)
        }
        for name in hints + [confirm?.name].compactMap({ $0 }) where hinted.insert(name).inserted {
            if !settings.promotesCrossProbeHints, queue.holds(name), !sentAlone.contains(name),
                lone.count + sentAlone.count < Self.loneLimit
            {
                // nmap's order stands, but a probe that can name the answer goes alone when its turn comes.
                lone.insert(name)
            } else if let earlier = attempts.lastIndex(where: { $0.attempt.probe.name == name && $0.settled }) {
                sendAloneIfStarved(earlier)
            }
        }
        return advance(now)
    }

    /// The most probes of one pass sent alone because of cross-probe hints: each may wait `-t` for our other
    /// connections to end and `-t` for its own answer.
    static let loneLimit = 3

    /// Takes one event.
    mutating func handle(_ event: Event, at now: ContinuousClock.Instant) -> [Action] {
        guard !finished else { return [] }
        var actions: [Action] = []
        switch event {
        case .connected(let connection):
            guard var state = connections[connection] else { return [] }
            state.connected = true
            state.connectedAt = now
            connections[connection] = state
            if let position = state.attempt { actions += send(position, at: now) }
        case .failed(let connection, let failure):
            actions += failed(connection, failure)
        case .received(let position, let bytes, let verdict):
            actions += received(position, bytes: bytes, verdict: verdict, at: now)
        case .waitEnded(let position):
            actions += settle(position)
        case .peerClosed(let connection):
            actions += peerClosed(connection, at: now)
        case .timer(.grace(let position)):
            actions += settle(position)
        case .timer(.pause):
            paused = false
        case .timer(.release(let position)):
            // Only on a port that has answered something: on a silent one the first round keeps its slots, so a
            // server busy with one connection (iperf3 waiting for its cookie) meets later rounds alone.
            if attempts.indices.contains(position), !attempts[position].settled {
                attempts[position].listening = true
            }
        }
        if finished { return actions }
        return actions + advance(now)
    }

    // MARK: events

    private mutating func failed(_ connection: Int, _ failure: Failure) -> [Action] {
        let position = connections[connection]?.attempt
        let othersOpen = connections.keys.contains { $0 != connection }
        connections[connection] = nil
        if let position { attempts[position].settled = true }
        if settings.transport == .udp {
            // ICMP port unreachable ends the port: closed, unless it answered something before.
            return finish(answeredAnything || failure != .refused ? .stopped(connection: connection)
                          : .unopened(connection: connection, failure))
        }
        if connection == 0 && !answeredAnything { return finish(.unopened(connection: connection, failure)) }
        if let position, othersOpen || throttled {
            // Refused while our other connections were open: a server taking one client at a time, or a cap.
            throttled = true
            let probe = attempts[position].attempt.probe
            if retries[probe.name, default: 0] < settings.throttleRetries {
                retries[probe.name, default: 0] += 1
                retry(probe)
                return []
            }
        }
        return finish(.stopped(connection: connection))
    }

    private mutating func received(_ position: Int, bytes: [UInt8], verdict: Verdict, at now: ContinuousClock.Instant)
        -> [Action]
    {
        guard attempts.indices.contains(position), !attempts[position].settled else { return [] }
        attempts[position].bytes = bytes
        attempts[position].verdict = verdict
        if !bytes.isEmpty {
            answeredAnything = true
            confirmRefusals(other: bytes)
        }
        if verdict != .none { return settle(position) }
        guard !bytes.isEmpty, !attempts[position].graceArmed else { return [] }
        attempts[position].graceArmed = true
        return [.armTimer(.grace(position: position), at: now + settings.answerGrace)]
    }

    private mutating func peerClosed(_ connection: Int, at now: ContinuousClock.Instant) -> [Action] {
        guard let state = connections[connection] else { return [] }
        connections[connection] = nil
        guard let position = state.attempt, !attempts[position].settled else { return [] }
        let attempt = attempts[position]
        if attempt.attempt.probe.isNull, !settings.tunnelled, attempt.bytes.isEmpty, position == 0,
            let connectedAt = state.connectedAt, now - connectedAt < settings.tcpWrappedLimit
        {
            attempts[position].settled = true
            return finish(.tcpWrapped)
        }
        let othersOpen = throttled || !connections.isEmpty
        if othersOpen, !attempt.bytes.isEmpty, attempt.verdict == .none {
            // Answered and hung up with nothing we know while other connections were open: daemons that cap
            // connections per address (ngircd), or serve one client at a time (iperf3, EPMD), do this. The answer
            // is recorded all the same; from now on one connection at a time.
            if !throttled {
                throttled = true
                pauseNext = true
            }
            let probe = attempt.attempt.probe
            if refusals.contains(attempt.bytes) {
                if retries[probe.name, default: 0] < settings.throttleRetries {
                    retries[probe.name, default: 0] += 1
                    retry(probe)
                }
            } else {
                suspects[attempt.bytes, default: []].append(position)
            }
        }
        return settle(position, connectionGone: true)
    }

    /// The port said `bytes`: earlier suspected refusals that differ from it were refusals; their probes go again.
    private mutating func confirmRefusals(other bytes: [UInt8]) {
        guard throttled else { return }
        for (refusal, positions) in suspects where refusal != bytes {
            refusals.insert(refusal)
            for position in positions {
                let probe = attempts[position].attempt.probe
                if retries[probe.name, default: 0] < settings.throttleRetries {
                    retries[probe.name, default: 0] += 1
                    retry(probe)
                }
            }
            suspects[refusal] = nil
        }
    }

    // MARK: settling

    /// The attempt at `position` is over: record it (a final verdict waits for earlier probes), free its connection.
    private mutating func settle(_ position: Int, connectionGone: Bool = false) -> [Action] {
        guard attempts.indices.contains(position), !attempts[position].settled else { return [] }
        attempts[position].settled = true
        sendAloneIfStarved(position)
        var actions: [Action] = []
        let state = attempts[position]
        let connection = state.attempt.connection
        if !connectionGone, var open = connections[connection] {
            open.attempt = nil
            // nmap's rule: the NULL probe's connection carries the next probe only when the banner wait ended
            // with nothing at all; after a banner, every probe gets a fresh connection (and the banner again).
            if settings.transport == .tcp, state.attempt.probe.isNull, open.everCarried == 1, state.bytes.isEmpty {
                open.reusable = true
                connections[connection] = open
            } else {
                connections[connection] = nil
                actions.append(.close(connection: connection))
            }
        }
        if state.verdict == .final {
            held.insert(position)
        } else if !state.bytes.isEmpty {
            unconfirmedRecords += 1
            actions.append(.record(position: position))
        }
        return actions + releaseHeld()
    }

    /// A hinted probe's attempt that heard nothing while our other connections were open was starved by them (a
    /// server that serves one client at a time and waits on another of ours): it goes again, alone, once.
    private mutating func sendAloneIfStarved(_ position: Int) {
        let state = attempts[position]
        let name = state.attempt.probe.name
        guard settings.transport == .tcp, state.settled, state.bytes.isEmpty, state.alongside,
            hinted.contains(name), !queue.holds(name), !sentAlone.contains(name),
            lone.count + sentAlone.count < Self.loneLimit, lone.insert(name).inserted
        else { return }
        queue.retry(state.attempt.probe)
        retried.insert(name)
    }

    /// Records the earliest held final verdict once every earlier probe is settled, and ends the pass.
    private mutating func releaseHeld() -> [Action] {
        guard let first = held.min(), !attempts[..<first].contains(where: { !$0.settled }) else { return [] }
        held.remove(first)
        unconfirmedRecords += 1
        return [.record(position: first)] + finish(.done)
    }

    private mutating func finish(_ ending: Ending) -> [Action] {
        finished = true
        return [.finish(ending)]
    }

    // MARK: sending

    /// Sends what may be sent now, or ends the pass when nothing is left.
    private mutating func advance(_ now: ContinuousClock.Instant) -> [Action] {
        guard !finished, unconfirmedRecords == 0 else { return [] }
        var actions: [Action] = []
        let open = settings.deadline.map { now < $0 } ?? true
        // The NULL probe listens alone first (nmap's order): a banner-first port needs no other connection.
        let nullListening = attempts.first.map { $0.attempt.probe.isNull && !$0.settled } ?? false
        while held.isEmpty, !paused, open, !nullListening, queue.peek != nil {
            // Nothing goes alongside a lone probe; a lone probe goes once every connection of ours is closed.
            if let loneAttempt, !attempts[loneAttempt].settled { break }
            if let probe = queue.peek, lone.contains(probe.name), settings.transport == .tcp {
                for (connection, state) in connections where state.reusable {
                    connections[connection] = nil
                    actions.append(.close(connection: connection))
                }
                guard connections.isEmpty, let probe = queue.next() else { break }
                lone.remove(probe.name)
                sentAlone.insert(probe.name)
                let connection = openConnection()
                bind(probe, to: connection, wait: .promised)
                loneAttempt = attempts.count - 1
                actions.append(.connect(connection: connection))
                continue
            }
            if let reusable = connections.first(where: { $0.value.reusable })?.key, !throttled {
                guard let probe = queue.next() else { break }
                connections[reusable]?.reusable = false
                bind(probe, to: reusable, wait: waitFor(probe))
                actions += send(attempts.count - 1, at: now)
                continue
            }
            let slots = throttled ? 1 : silentRoundsWidened ? openLimit : max(1, settings.parallelism)
            guard slotsHeld < slots, throttled || connections.count < openLimit else { break }
            if pauseNext {
                // Give a capped daemon time to count our closed connections out before the next one.
                pauseNext = false
                paused = true
                actions.append(.armTimer(.pause, at: now + settings.throttlePause))
                break
            }
            guard let probe = queue.next() else { break }
            let connection = openConnection()
            bind(probe, to: connection, wait: waitFor(probe))
            if settings.transport == .tcp {
                actions.append(.connect(connection: connection))
            } else {
                actions += send(attempts.count - 1, at: now)
            }
        }
        // A reusable connection with nothing to carry is closed.
        if queue.peek == nil || !open || throttled {
            for (connection, state) in connections where state.reusable {
                connections[connection] = nil
                actions.append(.close(connection: connection))
            }
        }
        if held.isEmpty, !paused, connections.isEmpty, !attempts.contains(where: { !$0.settled }) {
            if throttled, open, recheck() { return actions + advance(now) }
            if queue.peek == nil || !open { actions += finish(.done) }
        }
        return actions
    }

    /// On a throttled port, the probes whose answers were suspected refusals but never confirmed, and that were
    /// sent while other connections were open, go once more, alone. True when any was queued.
    private mutating func recheck() -> Bool {
        let probes = suspects.values.joined().map { attempts[$0] }
            .filter { $0.alongside && !rechecked.contains($0.attempt.probe.name) }.map(\.attempt.probe)
        var any = false
        for probe in probes where rechecked.insert(probe.name).inserted {
            retry(probe)
            any = true
        }
        if any { pauseNext = true }
        return any
    }

    private mutating func retry(_ probe: Probe) {
        queue.retry(probe)
        retried.insert(probe.name)
        pauseNext = true
    }

    private mutating func openConnection() -> Int {
        defer { nextConnection += 1 }
        connections[nextConnection] = ConnectionState()
        return nextConnection
    }

    private mutating func bind(_ probe: Probe, to connection: Int, wait: Wait) {
        var wait = wait
        // The NULL probe waits adaptively when a probe follows on its connection (whose promised wait covers a
        // slow banner); alone, it gets the promised wait.
        if probe.isNull { wait = queue.peek == nil ? .promised : .adaptive }
        let position = attempts.count
        attempts.append(AttemptState(attempt: Attempt(position: position, probe: probe, connection: connection,
                                                      wait: wait)))
        connections[connection]?.attempt = position
        connections[connection]?.everCarried += 1
    }

    private mutating func send(_ position: Int, at now: ContinuousClock.Instant) -> [Action] {
        guard !attempts[position].sent else { return [] }
        attempts[position].sent = true
        let attempt = attempts[position].attempt
        attempts[position].alongside = connections.keys.contains { $0 != attempt.connection }
        var actions: [Action] = [.send(attempt)]
        if let release = settings.slotRelease, attempt.wait == .promised, !attempt.probe.isNull {
            actions.append(.armTimer(.release(position: position), at: now + release))
        }
        return actions
    }

    /// Connections holding a slot: all of them on a throttled port, else those whose probe is not just listening.
    private var slotsHeld: Int {
        if throttled || !answeredAnything { return connections.count }
        return connections.values.filter { state in state.attempt.map { !attempts[$0].listening } ?? true }.count
    }

    /// True on a port that has said nothing once its promised round is over: its adaptive rounds then use every
    /// open slot (`openLimit`), not `parallelism`, so a silent port's later rounds cost a few adaptive waits rather
    /// than one per `parallelism` probes. The promised round itself stays `parallelism` wide (a one-at-a-time
    /// server is busy with it), and `--parallel-probes 1` never widens.
    private var silentRoundsWidened: Bool {
        guard settings.parallelism > 1, !answeredAnything, !throttled else { return false }
        let firstRound = settings.transport == .tcp ? settings.parallelism + 1 : settings.parallelism
        return attempts.count >= firstRound && !attempts.contains { !$0.settled && $0.attempt.wait == .promised }
    }

    /// The most connections open at once.
    private var openLimit: Int { settings.openLimit ?? max(1, settings.parallelism) }

    /// The wait rule for the next probe (see the type's documentation).
    private func waitFor(_ probe: Probe) -> Wait {
        if answeredAnything || retried.contains(probe.name) { return .promised }
        let firstRound = settings.transport == .tcp
            ? attempts.count <= settings.parallelism : attempts.count < settings.parallelism
        return firstRound ? .promised : .adaptive
    }

    private static func usable(_ plan: [Probe], _ transport: Transport) -> [Probe] {
        transport == .udp ? plan.filter { !$0.isNull } : plan
    }
}
