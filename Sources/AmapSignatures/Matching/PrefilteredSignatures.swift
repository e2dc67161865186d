/// An ordered list of signatures with a first-byte index: the entries whose pattern has a literal prefix are
/// bucketed by its first byte (both cases for caseless letters), the rest are kept in a list every response is
/// tried against. Walking the list for a response merges the two in the original order, so the first match is the
/// same one an unfiltered walk finds.
struct PrefilteredSignatures: Sendable {
    /// One signature and the probe whose lines it belongs to.
    struct Entry: Sendable {
        var owner: String
        var signature: Signature
        var prefix: LiteralPrefix?
    }

    /// Every entry, in order.
    let entries: [Entry]
    private let unprefixed: [Int32]
    private let byFirstByte: [UInt8: [Int32]]
    /// False to walk every entry and run every regex (the reference behaviour, for differential tests).
    let usesPrefilter: Bool

    init(_ list: [(owner: String, signature: Signature)], prefixes: inout [ObjectIdentifier: LiteralPrefix?],
         usesPrefilter: Bool = true) {
        var entries: [Entry] = []
        var unprefixed: [Int32] = []
        var byFirstByte: [UInt8: [Int32]] = [:]
        entries.reserveCapacity(list.count)
        for (offset, item) in list.enumerated() {
            let key = ObjectIdentifier(item.signature.pattern)
            let prefix: LiteralPrefix?
            if let known = prefixes[key] {
                prefix = known
            } else {
                prefix = usesPrefilter ? LiteralPrefix.of(item.signature.pattern) : nil
                prefixes[key] = .some(prefix)
            }
            entries.append(Entry(owner: item.owner, signature: item.signature, prefix: prefix))
            if let prefix {
                for byte in prefix.firstBytes { byFirstByte[byte, default: []].append(Int32(offset)) }
            } else {
                unprefixed.append(Int32(offset))
            }
        }
        self.entries = entries
        self.unprefixed = unprefixed
        self.byFirstByte = byFirstByte
        self.usesPrefilter = usesPrefilter
    }

    /// Calls `body` with each entry that may match `response`, in list order, until it returns false.
    func forEachCandidate(for response: [UInt8], _ body: (Entry) -> Bool) {
        guard usesPrefilter, let first = response.first else {
            for entry in entries where !body(entry) { return }
            return
        }
        let bucket = byFirstByte[first] ?? []
        var left = 0
        var right = 0
        while left < unprefixed.count || right < bucket.count {
            let takeLeft = right >= bucket.count || (left < unprefixed.count && unprefixed[left] < bucket[right])
            let index: Int32
            if takeLeft {
                index = unprefixed[left]
                left += 1
            } else {
                index = bucket[right]
                right += 1
                guard entries[Int(index)].prefix?.admits(response) ?? true else { continue }
            }
            if !body(entries[Int(index)]) { return }
        }
    }
}
