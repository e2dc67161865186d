import NIOConcurrencyHelpers

/// Remembers the first `ProxyError` of an engine and stops its scans when one happens: once the proxy itself failed,
/// no port's state can be known through it, and a port reported then would be misreported.
final class ProxyFaultLatch: Sendable {
    private struct State: Sendable {
        var fault: ProxyError?
        var nextToken = 0
        var stops: [Int: @Sendable () -> Void] = [:]
    }

    private let state = NIOLockedValueBox(State())

    /// The first failure since the last ``clear()``.
    var fault: ProxyError? { state.withLockedValue { $0.fault } }

    /// Records `error`; the first report stops every registered scan. Returns true for the first report.
    @discardableResult
    func report(_ error: ProxyError) -> Bool {
        let stops: [@Sendable () -> Void]? = state.withLockedValue { state in
            guard state.fault == nil else { return nil }
            state.fault = error
            defer { state.stops = [:] }
            return Array(state.stops.values)
        }
        guard let stops else { return false }
        for stop in stops { stop() }
        return true
    }

    /// Calls `stop` at the first fault (at once if there is one already); returns a token for ``remove(_:)``.
    func whenFaulted(_ stop: @escaping @Sendable () -> Void) -> Int {
        let token: Int? = state.withLockedValue { state in
            guard state.fault == nil else { return nil }
            state.nextToken += 1
            state.stops[state.nextToken] = stop
            return state.nextToken
        }
        guard let token else {
            stop()
            return 0
        }
        return token
    }

    /// Forgets the scan registered under `token` (it ended).
    func remove(_ token: Int) {
        state.withLockedValue { _ = $0.stops.removeValue(forKey: token) }
    }

    /// Forgets the recorded failure (the proxy passed a new check).
    func clear() {
        state.withLockedValue { $0.fault = nil }
    }
}
