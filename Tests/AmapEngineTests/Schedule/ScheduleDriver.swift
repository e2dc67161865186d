import AmapModel
import AmapSignatures
import AmapTestSupport
import Testing
@testable import AmapEngine

/// Drives a `ProbeSchedule` with scripted events on a virtual clock, and keeps what it asked for: the attempts
/// sent, the connections open, records, timers and the ending. No socket, no sleep.
struct ScheduleDriver {
    var schedule: ProbeSchedule
    /// The virtual clock: an arbitrary origin plus the scripted offsets.
    let origin = Self.virtualOrigin
    /// One origin for every driver, so settings can name instants before a driver exists.
    static let virtualOrigin = ContinuousClock.now
    private(set) var now: ContinuousClock.Instant
    private(set) var sent: [ProbeSchedule.Attempt] = []
    private(set) var recorded: [Int] = []
    private(set) var closed: [Int] = []
    private(set) var connects: [Int] = []
    private(set) var timers: [ProbeSchedule.Timer: ContinuousClock.Instant] = [:]
    private(set) var ending: ProbeSchedule.Ending?
    /// Connections (TCP) or sockets (UDP) open now, and the most at once.
    private(set) var open: Set<Int> = []
    private(set) var mostOpen = 0
    /// The plan to return after a record, by the recorded probe's name (a soft match re-plans).
    var replans: [String: [Probe]] = [:]
    /// The probe to confirm after a record, by the recorded probe's name (a cross-probe hint).
    var confirms: [String: Probe] = [:]

    init(_ settings: ProbeSchedule.Settings, plan: [Probe]) {
        schedule = ProbeSchedule(settings: settings, plan: plan)
        now = origin
        apply(schedule.start(at: now))
    }

    /// Moves the virtual clock to `milliseconds` after the origin.
    mutating func at(_ milliseconds: Int) {
        now = origin + .milliseconds(milliseconds)
    }

    mutating func handle(_ event: ProbeSchedule.Event) {
        apply(schedule.handle(event, at: now))
    }

    /// The position of the attempt that sent the probe named `name` (the latest one).
    func position(_ name: String) -> Int? { sent.last { $0.probe.name == name }?.position }
    /// The attempt that sent `name` (the latest one).
    func attempt(_ name: String) -> ProbeSchedule.Attempt? { sent.last { $0.probe.name == name } }
    /// The probe names sent, in order.
    var sentNames: [String] { sent.map(\.probe.name) }
    /// The probe names recorded, in order.
    var recordedNames: [String] { recorded.map { schedule.attempt(at: $0).probe.name } }

    mutating func connected(_ connection: Int) { handle(.connected(connection: connection)) }
    mutating func answer(_ name: String, _ text: String, _ verdict: ProbeSchedule.Verdict = .none) {
        guard let position = sentPosition(name) else { return }
        handle(.received(position: position, bytes: Array(text.utf8), verdict: verdict))
    }
    mutating func waitEnds(_ name: String) {
        guard let position = sentPosition(name) else { return }
        handle(.waitEnded(position: position))
    }
    /// The position of `name`'s attempt; a test issue when it was never sent.
    func sentPosition(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int? {
        guard let position = position(name) else {
            Issue.record("\(name) was not sent (sent: \(sentNames))", sourceLocation: sourceLocation)
            return nil
        }
        return position
    }
    mutating func peerCloses(_ name: String) {
        guard let position = sentPosition(name) else { return }
        let connection = schedule.attempt(at: position).connection
        open.remove(connection)
        handle(.peerClosed(connection: connection))
    }
    /// The connection `connection` could not be opened.
    mutating func connectionFails(_ connection: Int, _ failure: ProbeSchedule.Failure = .refused) {
        open.remove(connection)
        connectedOnes.insert(connection)
        handle(.failed(connection: connection, failure))
    }
    mutating func refused(_ name: String) {
        guard let position = sentPosition(name) else { return }
        let connection = schedule.attempt(at: position).connection
        open.remove(connection)
        handle(.failed(connection: connection, .refused))
    }

    /// Fires every armed timer due by now, earliest first.
    mutating func fireDueTimers() {
        while let (timer, _) = timers.filter({ $0.value <= now }).min(by: { $0.value < $1.value }) {
            timers[timer] = nil
            handle(.timer(timer))
        }
    }

    /// Connects every connection asked for and not yet connected.
    mutating func connectAll() {
        while let connection = connects.first(where: { !connectedOnes.contains($0) }) {
            connectedOnes.insert(connection)
            connected(connection)
        }
    }
    private var connectedOnes: Set<Int> = []

    private mutating func apply(_ actions: [ProbeSchedule.Action]) {
        for action in actions {
            switch action {
            case .connect(let connection):
                connects.append(connection)
                open.insert(connection)
            case .send(let attempt):
                sent.append(attempt)
                if schedule.settings.transport == .udp { open.insert(attempt.connection) }
            case .armTimer(let timer, let at):
                timers[timer] = at
            case .close(let connection):
                closed.append(connection)
                open.remove(connection)
            case .record(let position):
                recorded.append(position)
                let name = schedule.attempt(at: position).probe.name
                apply(schedule.recorded(position: position, replan: replans[name], confirm: confirms[name], at: now))
            case .finish(let ending):
                self.ending = ending
                open.removeAll()
            }
            mostOpen = max(mostOpen, open.count)
        }
    }

    /// Forgets that `connection` was open (the peer closed it, or it failed).
    mutating func drop(_ connection: Int) { open.remove(connection) }
}
