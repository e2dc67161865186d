/// A set of IPv4 addresses written as one value list per octet: a single address, an nmap-style
/// octet range (`127.0.0.1-5`, `127.0.1,3.*`) or a CIDR block (`127.0.0.0/30` is `127.0.0.4-7`'s
/// shape: every CIDR block is a product of octet ranges).
///
/// Addresses are enumerated without being stored: the block is a mixed-radix number whose digits
/// are indices into the four octet lists, last octet varying fastest.
public struct IPv4Block: Sendable, Hashable {
    /// The allowed values of each octet, sorted and distinct; always four non-empty lists.
    public let octets: [[UInt8]]

    /// Creates a block from four non-empty octet lists (sorted and de-duplicated here).
    init(octets: [[UInt8]]) {
        self.octets = octets.map { Array(Set($0)).sorted() }
    }

    /// A block holding one address.
    public init(address: IPv4Address) {
        self.init(octets: address.octets.map { [$0] })
    }

    /// The block `address/prefix`, with the host bits of `address` cleared (as nmap does).
    public init(address: IPv4Address, prefix: Int) {
        let mask: UInt32 = prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix))
        let network = address.value & mask
        let octets = (0..<4).map { position -> [UInt8] in
            let shift = UInt32(24 - 8 * position)
            let fixedBits = max(0, min(8, prefix - 8 * position))
            let low = UInt8(truncatingIfNeeded: network >> shift)
            let span = fixedBits == 8 ? 0 : (1 << (8 - fixedBits)) - 1
            return Array(low...UInt8(Int(low) + span))
        }
        self.init(octets: octets)
    }

    /// The number of addresses (at most 2^32).
    public var count: UInt64 { octets.reduce(1) { $0 * UInt64($1.count) } }

    /// The address at `index` (0 ..< count), in ascending order.
    public func address(at index: UInt64) -> IPv4Address {
        var rest = index
        var value: UInt32 = 0
        var digits: [UInt8] = [0, 0, 0, 0]
        for position in stride(from: 3, through: 0, by: -1) {
            let radix = UInt64(octets[position].count)
            digits[position] = octets[position][Int(rest % radix)]
            rest /= radix
        }
        for digit in digits { value = value << 8 | UInt32(digit) }
        return IPv4Address(value)
    }
}
