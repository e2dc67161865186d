/// An IPv4 address held as a 32-bit number, parsed from strict dotted-quad text.
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address in host byte order (`127.0.0.1` is `0x7F00_0001`).
    public var value: UInt32

    /// Wraps a 32-bit value.
    public init(_ value: UInt32) { self.value = value }

    /// Parses `a.b.c.d` with four decimal octets 0...255.
    ///
    /// Deliberately stricter than `inet_aton`: no shortened forms (`127.1`), no hex, and no
    /// leading zeros (`010` would be octal to C tools and decimal to others, so it is refused).
    public init?(parsing text: Substring) {
        var value: UInt32 = 0
        var octets = 0
        for part in text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard let octet = Self.parseOctet(Substring(part)) else { return nil }
            value = value << 8 | UInt32(octet)
            octets += 1
            if octets > 4 { return nil }
        }
        guard octets == 4 else { return nil }
        self.value = value
    }

    /// Parses `a.b.c.d`; see ``init(parsing:)-(Substring)``.
    public init?(parsing text: String) { self.init(parsing: text[...]) }

    /// One decimal octet without leading zeros, or nil.
    static func parseOctet(_ text: Substring) -> UInt8? {
        let digits = text.utf8
        guard (1...3).contains(digits.count) else { return nil }
        if digits.count > 1 && digits.first == UInt8(ascii: "0") { return nil }
        var number = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            number = number * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return number <= 255 ? UInt8(number) : nil
    }

    /// The four octets, most significant first.
    public var octets: [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value)]
    }

    /// `127.0.0.1`.
    public var description: String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }

    /// Orders by numeric value.
    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}
