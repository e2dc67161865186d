import AmapKit
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scan progress on stderr: one line rewritten in place when stderr is a terminal, plain lines every
/// `--stats-every` seconds (for logs, terminal or not), nothing otherwise.
///
/// `@unchecked Sendable` is safe: all mutable state is read and written under `lock`; the periodic task only calls
/// methods that take it.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private var progress: ScanProgress
    private let interactive: Bool
    private let clock = ContinuousClock()
    private var startedAt: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?
    private var lineShown = false
    private var ticker: Task<Void, Never>?

    /// The in-place line is redrawn at most this often, so a fast scan spends no time on the terminal.
    static let redrawInterval = Duration.milliseconds(250)

    /// A display, or nil when there is nothing to show (stderr is not a terminal and no `--stats-every`).
    static func make(statsEvery: Int?) -> ProgressDisplay? {
        let interactive = isatty(2) == 1
        guard interactive || statsEvery != nil else { return nil }
        return ProgressDisplay(interactive: interactive, statsEvery: statsEvery)
    }

    /// True with `--stats-every`: periodic lines, and a summary line at the end.
    private let periodic: Bool

    private init(interactive: Bool, statsEvery: Int?) {
        self.interactive = interactive
        periodic = statsEvery != nil
        progress = ScanProgress()
        startedAt = clock.now
        if let statsEvery {
            ticker = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(statsEvery))
                    guard !Task.isCancelled, let self else { return }
                    self.printStats()
                }
            }
        }
    }

    /// Sets the number of endpoints the scan visits.
    func expect(total: UInt64) {
        lock.withLock { progress.total = total }
    }

    /// Restarts the clock (at the report header).
    func start() {
        lock.withLock { startedAt = clock.now }
    }

    /// Counts `event` and redraws the line if it is time.
    func record(_ event: ScanEvent) {
        lock.withLock {
            progress.record(event)
            guard interactive else { return }
            let now = clock.now
            if let lastDrawn, now - lastDrawn < Self.redrawInterval { return }
            lastDrawn = now
            write("\r\u{1B}[K" + status(now))
            lineShown = true
        }
    }

    /// Runs `body` (which writes to stdout) with the progress line cleared, then redraws it.
    func aside(_ body: () -> Void) {
        lock.withLock {
            if lineShown { write("\r\u{1B}[K") }
            body()
            if lineShown { write(status(clock.now)) }
        }
    }

    /// Stops the periodic lines, clears the in-place line and, with `--stats-every`, writes the summary line.
    func finish() {
        ticker?.cancel()
        lock.withLock {
            if lineShown { write("\r\u{1B}[K") }
            lineShown = false
            if periodic { write("amap: done: " + progress.summary(elapsed: clock.now - startedAt) + "\n") }
        }
    }

    private func printStats() {
        lock.withLock {
            let text = "amap: stats: " + progress.line(elapsed: clock.now - startedAt) + "\n"
            write(lineShown ? "\r\u{1B}[K" + text : text)
            if lineShown { write(status(clock.now)) }
        }
    }

    private func status(_ now: ContinuousClock.Instant) -> String {
        "amap: " + progress.line(elapsed: now - startedAt)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
