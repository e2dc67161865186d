import AmapModel
import AmapSignatures

/// The probes of one pass not yet sent, in plan order: each name goes out once per pass, and a new plan (after a
/// soft match) replaces what is left.
struct ProbeQueue: Sendable {
    /// The transport whose probes are kept.
    let transport: Transport
    private var pending: [Probe] = []
    private var sent: Set<String> = []

    init(transport: Transport) {
        self.transport = transport
    }

    /// The next probe to send, without taking it.
    var peek: Probe? { pending.first }

    /// Takes the next probe.
    mutating func next() -> Probe? {
        guard !pending.isEmpty else { return nil }
        let probe = pending.removeFirst()
        sent.insert(probe.name)
        return probe
    }

    /// Puts `probe` back at the front, to be sent again.
    mutating func retry(_ probe: Probe) {
        sent.remove(probe.name)
        pending.insert(probe, at: 0)
    }

    /// True while a probe named `name` waits to be sent.
    func holds(_ name: String) -> Bool { pending.contains { $0.name == name } }

    /// True once a probe named `name` was taken.
    func wasSent(_ name: String) -> Bool { sent.contains(name) }

    /// Puts `probe` first, whether or not the plan holds it (a probe not yet sent).
    mutating func prioritise(_ probe: Probe) {
        pending.removeAll { $0.name == probe.name }
        pending.insert(probe, at: 0)
    }

    /// Replaces what is left with `plan`'s probes of this transport not yet sent.
    mutating func replan(_ plan: [Probe]) {
        var names = sent
        pending = plan.filter { $0.transport == transport && names.insert($0.name).inserted }
    }
}
