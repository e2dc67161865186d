import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into a call of `onSignal` on a dispatch queue (never inside a signal handler, where
/// only async-signal-safe calls are allowed), so the scan can stop, flush every result and write its footer.
///
/// A second signal of either kind restores the default action and re-raises it: a user who presses Ctrl-C twice
/// gets the usual immediate exit.
final class InterruptWatcher {
    private let sources: [any DispatchSourceSignal]

    /// Starts watching; `onSignal` gets the signal number, once.
    init(queue: DispatchQueue = DispatchQueue(label: "amap.signals"), onSignal: @escaping @Sendable (Int32) -> Void) {
        let signals = [SIGINT, SIGTERM]
        var sources: [any DispatchSourceSignal] = []
        let seen = SignalCount()
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if seen.increment() == 1 {
                    onSignal(number)
                } else {
                    signal(number, SIG_DFL)
                    raise(number)
                }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Stops watching and restores the default actions.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// How many signals arrived; touched only on the watcher's serial queue.
///
/// `@unchecked Sendable`: every access happens on the single serial `DispatchQueue` the signal sources deliver on,
/// so there is never concurrent access.
private final class SignalCount: @unchecked Sendable {
    private var count = 0
    func increment() -> Int {
        count += 1
        return count
    }
}

/// The first signal that interrupted the scan, if any; set on the watcher's queue, read after the scan ended.
final class InterruptSignal: Sendable {
    private let storage = Mutex<Int32?>(nil)
    func set(_ number: Int32) { storage.withLock { if $0 == nil { $0 = number } } }
    var value: Int32? { storage.withLock { $0 } }
}
