/// Lower-case hexadecimal rendering shared by the escapers and dumps.
enum Hex {
    private static let digits: [Character] = Array("0123456789abcdef")

    /// Two lower-case hex digits.
    static func byte(_ byte: UInt8) -> String {
        String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// Every byte as two lower-case hex digits, no separators.
    static func string(_ bytes: [UInt8]) -> String {
        var output = ""
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return output
    }
}
