import AmapModel
import AmapSignatures

extension ProbeSchedule {
    /// What the schedule needs to know about the scan's settings; fixed for one pass.
    struct Settings: Sendable {
        /// TCP (connections, a NULL probe first) or UDP (one socket per probe).
        var transport: Transport
        /// True inside TLS (no tcpwrapped verdict there).
        var tunnelled = false
        /// Connections (TCP) or sockets (UDP) open to the port at once.
        var parallelism = 1
        /// How long a close without a byte after connect makes the port `tcpwrapped`.
        var tcpWrappedLimit: Duration = .seconds(2)
        /// After an answer that names nothing, how much longer its probe keeps reading (the rest of a
        /// multi-segment or multi-datagram answer).
        var answerGrace: Duration = .milliseconds(500)
        /// No new probe starts after this instant (the per-port budget, the host timeout); nil for none.
        var deadline: ContinuousClock.Instant?
        /// With adaptive timing, how long a probe with the promised wait holds its slot: after this it keeps
        /// listening until its wait ends, but no longer counts against `parallelism` (only against `openLimit`).
        /// nil: it holds its slot until its wait ends (fixed timing).
        var slotRelease: Duration?
        /// The most connections (TCP) or sockets (UDP) open to the port at once, listening ones included.
        var openLimit: Int?
        /// How many times a probe is sent again after a refusal from a per-address connection cap.
        var throttleRetries = 2
        /// The pause before a probe is sent again on a port that caps connections per address.
        var throttlePause: Duration = .milliseconds(250)
        /// True when a cross-probe hint (an answer only another probe's line names) sends that probe next, ahead
        /// of the plan (the built-in database). False with nmap's verdicts: nmap's order stands, and a hint only
        /// sends again, alone, a probe of the plan that our own other connections starved.
        var promotesCrossProbeHints = true
    }

    /// How long a probe waits for its answer; the executor turns it into milliseconds.
    enum Wait: Sendable, Hashable {
        /// The user's `-t` (the banner wait for the NULL probe): an answer within it is always seen.
        case promised
        /// The host's adaptive wait (at most `-t`): later rounds on a port that has said nothing.
        case adaptive
    }

    /// One probe sent on one connection or socket.
    struct Attempt: Sendable {
        /// Its place in the pass, in send order (the order hits are ranked in).
        var position: Int
        var probe: Probe
        /// The connection (TCP) or socket (UDP) it goes on.
        var connection: Int
        var wait: Wait
    }

    /// What the executor tells the schedule about an answer: the matcher's verdict on everything received so far.
    enum Verdict: Sendable, Hashable {
        /// Nothing named (yet).
        case none
        /// A hit that does not end the pass (a soft match, a hard match when every match is reported).
        case matched
        /// A hit that ends the pass: a final identification, or TLS seen in the plain pass.
        case final
    }

    /// Why a connection or socket could not be used.
    enum Failure: Sendable, Hashable {
        /// Connection refused (TCP RST) or ICMP port unreachable (UDP).
        case refused
        /// Anything else (timeout, no route, local resources).
        case other
    }

    /// Something that happened to the port.
    enum Event: Sendable {
        /// A TCP connection is up.
        case connected(connection: Int)
        /// A connection could not be opened, or (UDP) the port answered ICMP unreachable.
        case failed(connection: Int, Failure)
        /// Bytes arrived for an attempt; `verdict` is the matcher's on everything received for it so far.
        case received(position: Int, bytes: [UInt8], verdict: Verdict)
        /// The attempt's wait ran out (its connection may still be open).
        case waitEnded(position: Int)
        /// The peer closed the connection (TCP).
        case peerClosed(connection: Int)
        /// A timer armed by `.armTimer` is due.
        case timer(Timer)
    }

    /// The timers the schedule arms.
    enum Timer: Sendable, Hashable {
        /// The answer grace of an attempt ended.
        case grace(position: Int)
        /// The pause before a probe that is sent again.
        case pause
        /// A promised probe stops holding its slot (it keeps listening).
        case release(position: Int)
    }

    /// What the executor must do.
    enum Action: Sendable {
        /// Open a TCP connection (a connection's first event is `.connected` or `.failed`).
        case connect(connection: Int)
        /// Send the attempt's probe on its connection (UDP: open its socket and send) and report its answer.
        case send(Attempt)
        /// Deliver `.timer(timer)` at `at`.
        case armTimer(Timer, at: ContinuousClock.Instant)
        /// Close the connection or socket (its attempt is settled).
        case close(connection: Int)
        /// Record the answer of the attempt at `position` now (plan order is kept for final verdicts). After a
        /// record that changes the soft-matched service, the executor calls `replan`.
        case record(position: Int)
        /// The pass is over; close whatever is still open.
        case finish(Ending)
    }

    /// How a pass ended.
    enum Ending: Sendable, Hashable {
        /// Every probe was settled, or a final verdict was recorded.
        case done
        /// The port closed the first connection at once without a byte (TCP wrappers).
        case tcpWrapped
        /// The first connection (TCP) failed, or (UDP) the port answered ICMP unreachable before anything else.
        case unopened(connection: Int, Failure)
        /// A later connection failed while nothing else of ours was open: probing stops, the port stays open.
        case stopped(connection: Int)
    }
}
