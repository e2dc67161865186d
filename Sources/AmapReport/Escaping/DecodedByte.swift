/// One unit of a byte string read as UTF-8: a decoded scalar, or a byte that is not part of valid UTF-8.
///
/// Network data is hostile and often not UTF-8 at all; every escaper works on this split so that an
/// invalid byte is never silently turned into U+FFFD or into a Latin-1 character it never was.
enum DecodedByte: Equatable {
    /// A well-formed UTF-8 sequence.
    case scalar(Unicode.Scalar)
    /// A byte that does not start or continue a well-formed sequence.
    case invalid(UInt8)

    /// Splits `bytes` into scalars and invalid bytes, following the UTF-8 rules of RFC 3629 §4
    /// (no overlongs, no surrogates, nothing above U+10FFFF). A bad sequence yields its first byte as
    /// invalid and decoding resumes at the next byte.
    static func decode(_ bytes: [UInt8]) -> [DecodedByte] {
        var units: [DecodedByte] = []
        units.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = scalarAt(bytes, index) {
                units.append(.scalar(scalar))
                index += length
            } else {
                units.append(.invalid(bytes[index]))
                index += 1
            }
        }
        return units
    }

    /// The scalar starting at `index` and its encoded length, or nil when the sequence is malformed.
    private static func scalarAt(_ bytes: [UInt8], _ index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length: Int
        let initial: UInt32
        // Second-byte ranges exclude overlongs (E0, F0), surrogates (ED) and values past U+10FFFF (F4).
        let secondRange: ClosedRange<UInt8>
        switch lead {
        case 0xC2...0xDF: (length, initial, secondRange) = (2, UInt32(lead & 0x1F), 0x80...0xBF)
        case 0xE0: (length, initial, secondRange) = (3, UInt32(lead & 0x0F), 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, initial, secondRange) = (3, UInt32(lead & 0x0F), 0x80...0xBF)
        case 0xED: (length, initial, secondRange) = (3, UInt32(lead & 0x0F), 0x80...0x9F)
        case 0xF0: (length, initial, secondRange) = (4, UInt32(lead & 0x07), 0x90...0xBF)
        case 0xF1...0xF3: (length, initial, secondRange) = (4, UInt32(lead & 0x07), 0x80...0xBF)
        case 0xF4: (length, initial, secondRange) = (4, UInt32(lead & 0x07), 0x80...0x8F)
        default: return nil
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return nil }
        var value = (initial << 6) | UInt32(bytes[index + 1] & 0x3F)
        for offset in 2..<length {
            let byte = bytes[index + offset]
            guard (0x80...0xBF).contains(byte) else { return nil }
            value = (value << 6) | UInt32(byte & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}
