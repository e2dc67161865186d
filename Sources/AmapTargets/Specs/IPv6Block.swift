/// A CIDR block of IPv6 addresses (a single address is a /128), optionally with a zone
/// (`fe80::1%eth0`, single addresses only).
public struct IPv6Block: Sendable, Hashable {
    /// The first address of the block (host bits cleared).
    public let network: IPv6Address
    /// The prefix length, 0...128.
    public let prefix: Int
    /// The scope zone of a link-local address, without the `%`.
    public let zone: String?

    /// The shortest prefix that can be enumerated: a /65 has 2^63 addresses, and indices are 64-bit.
    public static let shortestEnumerablePrefix = 65

    /// The block `address/prefix`, host bits cleared.
    public init(address: IPv6Address, prefix: Int = 128, zone: String? = nil) {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : UInt64.max << UInt64(64 - bits) }
        network = IPv6Address(high: address.high & mask(prefix), low: address.low & mask(prefix - 64))
        self.prefix = prefix
        self.zone = zone
    }

    /// The number of addresses, or nil when it exceeds 2^63 (prefix shorter than /65).
    public var count: UInt64? {
        prefix >= Self.shortestEnumerablePrefix ? UInt64(1) << UInt64(128 - prefix) : nil
    }

    /// The address at `index` (0 ..< count), in ascending order.
    public func address(at index: UInt64) -> IPv6Address {
        IPv6Address(high: network.high, low: network.low | index)
    }

    /// The text of the address at `index`, with the zone appended.
    func text(at index: UInt64) -> String {
        let text = address(at: index).description
        return zone.map { "\(text)%\($0)" } ?? text
    }
}
