/// The text of an `iPAddress` subject alternative name (RFC 5280 §4.2.1.6: 4 or 16 bytes in network order).
enum AlternativeNameAddress {
    /// `127.0.0.1`, or an IPv6 address in RFC 5952 form (`::1`); other lengths as hex bytes.
    static func text(_ bytes: [UInt8]) -> String {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            let groups = (0..<8).map { Int(bytes[2 * $0]) << 8 | Int(bytes[2 * $0 + 1]) }
            // RFC 5952 §4.2: the longest run of two or more zero groups (the first of equals) becomes `::`.
            var best: Range<Int>?
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else { index += 1; continue }
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index >= 2, end - index > best?.count ?? 0 { best = index..<end }
                index = end
            }
            let hex = groups.map { String($0, radix: 16) }
            guard let run = best else { return hex.joined(separator: ":") }
            return hex[..<run.lowerBound].joined(separator: ":") + "::" + hex[run.upperBound...].joined(separator: ":")
        default:
            return bytes.map { String($0, radix: 16) }.joined(separator: ":")
        }
    }
}
