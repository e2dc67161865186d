import NIOConcurrencyHelpers

/// Counts, from inside the engine, how many response bytes a connection holds at once: the bytes its reader kept
/// plus those the handler delivered and the reader has not taken yet.
///
/// This is the figure the byte cap promises to bound, measured by the code that holds the bytes, so it means the
/// same thing in every build; the process's peak RSS, by contrast, includes a sanitizer's shadow memory and
/// quarantine and the allocator's slack. One gauge is shared by a whole scan (`ScanEngine.responseMemory`).
public final class ResponseMemoryGauge: Sendable {
    private let peak = NIOLockedValueBox(0)

    /// A gauge that has seen nothing yet.
    public init() {}

    /// The largest number of response bytes one connection (or UDP socket) held at any moment of the scan.
    public var peakBytesHeldPerConnection: Int { peak.withLockedValue { $0 } }

    /// Records that one connection holds `bytes` now.
    func observe(bytesHeld bytes: Int) {
        peak.withLockedValue { $0 = max($0, bytes) }
    }
}

/// The bytes a handler has delivered to its reader and the reader has not taken yet: the part of a connection's
/// response memory that lives in the event stream between them.
///
/// The handler adds on its event loop and the reader subtracts in its task, hence the lock: a pthread mutex
/// (`NIOLockedValueBox`), which ThreadSanitizer understands; it reported `Synchronization.Mutex`'s futex-based lock
/// as a race in a CI rehearsal, because the standard library it lives in is not instrumented.
final class DeliveredByteCount: Sendable {
    private let count = NIOLockedValueBox(0)

    /// Bytes delivered and not yet taken.
    var value: Int { count.withLockedValue { $0 } }

    /// The handler delivered `bytes` more.
    func delivered(_ bytes: Int) {
        count.withLockedValue { $0 += bytes }
    }

    /// The reader took `bytes` out of the stream.
    func taken(_ bytes: Int) {
        count.withLockedValue { $0 -= bytes }
    }
}
