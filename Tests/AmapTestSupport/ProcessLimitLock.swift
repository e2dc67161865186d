/// One test at a time may change or compare the process's open-file limit: every test target runs in one process, and
/// suites run in parallel, so a test that lowers the limit would otherwise break another's before/after reading.
public actor ProcessLimitLock {
    /// The lock every such test takes.
    public static let shared = ProcessLimitLock()

    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` while holding the lock.
    public static func withLock<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await shared.acquire()
        do {
            let value = try await body()
            await shared.release()
            return value
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            held = false
        } else {
            // Handed straight to the next waiter: `held` stays true.
            waiting.removeFirst().resume()
        }
    }
}
