/// `--max-per-host`: at most N endpoints of one host are probed at the same time (each with its own few
/// connections), so a scan of many hosts spreads its load instead of hammering one.
actor HostConcurrencyLimiter {
    private let limit: Int
    private var active: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// A limiter admitting `limit` (at least 1) endpoints per host.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits for a slot for the host at `address`.
    func acquire(_ address: String) async {
        if active[address, default: 0] < limit {
            active[address, default: 0] += 1
            return
        }
        await withCheckedContinuation { waiting[address, default: []].append($0) }
    }

    /// Frees a slot, handing it to the next waiter of the same host.
    func release(_ address: String) {
        if var queue = waiting[address], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[address] = queue.isEmpty ? nil : queue
            next.resume()
            return
        }
        let count = active[address, default: 1] - 1
        active[address] = count > 0 ? count : nil
    }

    /// Endpoints of `address` being probed now (for tests).
    func activeCount(_ address: String) -> Int { active[address, default: 0] }
}
