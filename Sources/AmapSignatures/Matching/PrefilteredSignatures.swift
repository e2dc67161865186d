/// Every signature line of a database once, with the probe it belongs to and its literal prefix. Chains refer to
/// lines by index, so a line shared by many chains (the NULL probe's lines end every TCP chain) is stored once.
final class SignatureTable: Sendable {
    /// One signature and the probe whose lines it belongs to.
    struct Entry: Sendable {
        var owner: String
        var signature: Signature
        var prefix: LiteralPrefix?
    }

    /// Every line, in database order.
    let entries: [Entry]
    /// The index of each line, by its compiled pattern (one per line).
    let indexByPattern: [ObjectIdentifier: Int32]

    /// Reads the lines of `probes`; `prefilter: false` reads no prefixes (the unfiltered reference).
    init(probes: [Probe], prefilter: Bool) {
        var entries: [Entry] = []
        var index: [ObjectIdentifier: Int32] = [:]
        for probe in probes {
            for signature in probe.signatures {
                let key = ObjectIdentifier(signature.pattern)
                guard index[key] == nil else { continue }
                index[key] = Int32(entries.count)
                entries.append(Entry(owner: probe.name, signature: signature,
                                     prefix: prefilter ? LiteralPrefix.of(signature.pattern) : nil))
            }
        }
        self.entries = entries
        self.indexByPattern = index
    }

    /// The indices of `signatures` (lines not in the table are skipped).
    func indices(of signatures: [Signature]) -> [Int32] {
        signatures.compactMap { indexByPattern[ObjectIdentifier($0.pattern)] }
    }
}

/// An ordered list of signature lines with a first-byte index: the lines whose pattern has a literal prefix are
/// bucketed by its first byte (both cases for caseless letters), the rest are kept in a list every response is
/// tried against. Walking the list for a response merges the two in the original order, so the first match is the
/// same one an unfiltered walk finds.
struct PrefilteredSignatures: Sendable {
    private let table: SignatureTable
    /// The lines, as table indices, in order.
    private let members: [Int32]
    /// Positions in `members` of lines without a prefix.
    private let unprefixed: [Int32]
    /// Positions in `members` of lines with a prefix, by the prefix's possible first bytes.
    private let byFirstByte: [UInt8: [Int32]]

    init(_ members: [Int32], table: SignatureTable) {
        var unprefixed: [Int32] = []
        var byFirstByte: [UInt8: [Int32]] = [:]
        for (position, index) in members.enumerated() {
            if let prefix = table.entries[Int(index)].prefix {
                for byte in prefix.firstBytes { byFirstByte[byte, default: []].append(Int32(position)) }
            } else {
                unprefixed.append(Int32(position))
            }
        }
        self.table = table
        self.members = members
        self.unprefixed = unprefixed
        self.byFirstByte = byFirstByte
    }

    /// Calls `body` with each line that may match `response`, in list order, until it returns false.
    func forEachCandidate(for response: [UInt8], _ body: (SignatureTable.Entry) -> Bool) {
        guard let first = response.first else { return }
        let bucket = byFirstByte[first] ?? []
        var left = 0
        var right = 0
        while left < unprefixed.count || right < bucket.count {
            let takeLeft = right >= bucket.count || (left < unprefixed.count && unprefixed[left] < bucket[right])
            let position: Int32
            if takeLeft {
                position = unprefixed[left]
                left += 1
            } else {
                position = bucket[right]
                right += 1
            }
            let entry = table.entries[Int(members[Int(position)])]
            if !takeLeft, let prefix = entry.prefix, !prefix.admits(response) { continue }
            if !body(entry) { return }
        }
    }
}
