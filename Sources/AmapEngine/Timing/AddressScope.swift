/// Classifies literal addresses for the automatic timing profile.
enum AddressScope {
    /// True for loopback, RFC 1918 private, link-local (IPv4 and IPv6) and unique-local IPv6 addresses.
    static func isLocal(_ address: String) -> Bool {
        let lower = address.lowercased()
        if lower.contains(":") {
            if lower == "::1" { return true }
            if lower.hasPrefix("fe80:") || lower.hasPrefix("fc") || lower.hasPrefix("fd") { return true }
            if lower.hasPrefix("::ffff:") { return isLocal(String(lower.dropFirst(7))) }
            return false
        }
        let octets = lower.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return false }
        switch (octets[0], octets[1]) {
        case (127, _), (10, _), (192, 168), (169, 254): return true
        case (172, let second): return (16...31).contains(second)
        default: return false
        }
    }
}
