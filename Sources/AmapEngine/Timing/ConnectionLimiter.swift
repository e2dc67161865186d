/// amap's `-c N`: at most N connections (TCP connections and UDP sockets) open at once in the whole scan, however
/// many ports are probed and however many probes each runs side by side. A permit is taken before a socket is
/// created and given back once it is closed.
actor ConnectionLimiter {
    /// The cap.
    let limit: Int
    private var open = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The most permits held at once (for tests and figures).
    private(set) var most = 0

    /// A limiter admitting `limit` (at least 1) connections.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Waits for a permit, first come first served.
    func acquire() async {
        if open < limit {
            open += 1
            most = max(most, open)
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives a permit back, handing it to the longest waiter.
    func release() {
        if !waiting.isEmpty {
            waiting.removeFirst().resume()
            return
        }
        open = max(0, open - 1)
    }
}
