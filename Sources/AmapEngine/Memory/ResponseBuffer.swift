/// The answer to one exchange as its reader keeps it: the new bytes of every read appended to one buffer that never
/// grows past the byte cap.
///
/// The connection handlers hand the reader only what is new on each read (never a copy of everything so far), so
/// a flood costs this one buffer, at most the cap, plus what is in flight between the handler and the reader (also
/// at most the cap, because the handler stops reading the socket once an exchange has its cap).
struct ResponseBuffer: Sendable {
    /// The most bytes kept.
    let cap: Int
    /// Everything kept so far, in arrival order.
    private(set) var bytes: [UInt8] = []

    /// An empty buffer that keeps at most `cap` bytes (at least one).
    init(cap: Int) {
        self.cap = max(1, cap)
    }

    /// True once the buffer holds `cap` bytes: nothing more will be kept.
    var isFull: Bool { bytes.count >= cap }

    /// Appends as much of `chunk` as fits; returns how many bytes were kept.
    @discardableResult
    mutating func append(_ chunk: [UInt8]) -> Int {
        let take = min(cap - bytes.count, chunk.count)
        guard take > 0 else { return 0 }
        // One allocation of the whole cap, never regrown: growing by doubling would hold the old and the new storage
        // at once (1.5 caps at the peak). Pages never written cost no memory, so a short answer under a large cap
        // stays cheap.
        if bytes.capacity < cap { bytes.reserveCapacity(cap) }
        bytes.append(contentsOf: chunk.prefix(take))
        return take
    }

    /// Hands the bytes over and leaves the buffer empty (no copy).
    mutating func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
}
