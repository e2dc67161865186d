/// One target argument: a host name, an IPv4 address / octet range / CIDR block, or an IPv6
/// address / CIDR block.
///
/// Syntax accepted by ``parse(_:allowHuge:)``:
/// - IPv4: `127.0.0.1`; CIDR `127.0.0.0/30`; nmap octet ranges `127.0.0.1-5`, `127.0.1,3.1`,
///   `127.0.0.*`, `127.0.0.250-` (to 255). CIDR blocks include their network and broadcast
///   addresses, as in nmap.
/// - IPv6: `::1`, `[::1]`, `::1/128`, `[::1]/128`, `fe80::1%eth0` (zone on single addresses only).
/// - Anything else that is a valid DNS name (`localhost`). It is **not** resolved here; the engine
///   resolves it when it connects.
public struct TargetSpec: Sendable, Hashable, CustomStringConvertible {
    /// What the specification denotes.
    public enum Kind: Sendable, Hashable {
        /// A DNS name, kept as text.
        case hostName(String)
        /// One or more IPv4 addresses.
        case ipv4(IPv4Block)
        /// One or more IPv6 addresses.
        case ipv6(IPv6Block)
    }

    /// The argument as the user wrote it.
    public let text: String
    /// The parsed meaning.
    public let kind: Kind
    /// How many addresses (or 1 for a host name).
    public let addressCount: UInt64

    /// Most addresses one specification may expand to without `allowHuge` (2^24, a /8): beyond
    /// that a typo such as `0.0.0.0/0` would start an Internet-wide scan.
    public static let hugeLimit: UInt64 = 1 << 24

    /// The argument as the user wrote it.
    public var description: String { text }

    /// The host text of the address at `index` (0 ..< addressCount): an address literal in
    /// canonical form, or the host name.
    public func host(at index: UInt64) -> String {
        switch kind {
        case .hostName(let name): return name
        case .ipv4(let block): return block.address(at: index).description
        case .ipv6(let block): return block.text(at: index)
        }
    }

    /// Every host of the specification, lazily.
    public var hosts: LazyMapSequence<Range<UInt64>, String> {
        (0..<addressCount).lazy.map { host(at: $0) }
    }

    /// Parses one target argument (see the type's documentation). No DNS lookup is done.
    ///
    /// - Parameter allowHuge: accept specifications of more than ``hugeLimit`` addresses.
    public static func parse(_ token: String, allowHuge: Bool = false) throws(TargetSpecError) -> TargetSpec {
        guard !token.isEmpty else { throw .empty(token: token, what: "target") }
        let kind: Kind
        if token.contains(":") || token.hasPrefix("[") {
            kind = .ipv6(try parseIPv6(token))
        } else if token.contains("."), token.allSatisfy({ "0123456789.,-*/".contains($0) }) {
            kind = .ipv4(try parseIPv4(token))
        } else if HostName.isValid(token) {
            kind = .hostName(token)
        } else if token.contains("/"), HostName.isValid(token.prefix { $0 != "/" }) {
            throw .invalidAddress(token: token, reason: "a CIDR block needs an address, not a host name")
        } else {
            throw .invalidAddress(token: token, reason: "not an IPv4 or IPv6 address, range, CIDR block or host name")
        }
        let count: UInt64
        switch kind {
        case .hostName: count = 1
        case .ipv4(let block): count = block.count
        case .ipv6(let block):
            guard let blockCount = block.count else { throw .notEnumerable(token: token) }
            count = blockCount
        }
        if count > hugeLimit && !allowHuge {
            throw .tooManyAddresses(token: token, count: count, limit: hugeLimit)
        }
        return TargetSpec(text: token, kind: kind, addressCount: count)
    }

    /// Splits `text/prefix`, checking the prefix is a number in 0...maximum.
    private static func splitPrefix(
        _ text: Substring,
        token: String,
        maximum: Int
    ) throws(TargetSpecError) -> (Substring, Int?) {
        guard let slash = text.firstIndex(of: "/") else { return (text, nil) }
        let prefixText = text[text.index(after: slash)...]
        guard !prefixText.isEmpty, prefixText.count <= 3, prefixText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let prefix = Int(prefixText), prefix <= maximum
        else {
            throw .prefixOutOfRange(token: token, prefix: String(prefixText), maximum: maximum)
        }
        return (text[..<slash], prefix)
    }

    private static func parseIPv4(_ token: String) throws(TargetSpecError) -> IPv4Block {
        let (addressText, prefix) = try splitPrefix(token[...], token: token, maximum: 32)
        if let prefix {
            guard let address = IPv4Address(parsing: addressText) else {
                throw .invalidAddress(token: token, reason: "a CIDR block needs a plain IPv4 address before the '/'")
            }
            return IPv4Block(address: address, prefix: prefix)
        }
        let fields = addressText.split(separator: ".", omittingEmptySubsequences: false)
        guard fields.count == 4 else {
            throw .invalidAddress(token: token, reason: "an IPv4 address has 4 octets, this has \(fields.count)")
        }
        var octets: [[UInt8]] = []
        for field in fields {
            var values: [UInt8] = []
            for item in field.split(separator: ",", omittingEmptySubsequences: false) {
                values += try parseOctetItem(item, token: token)
            }
            octets.append(values)
        }
        return IPv4Block(octets: octets)
    }

    /// One octet item: `N`, `A-B`, `A-`, `-B` or `*`.
    private static func parseOctetItem(_ item: Substring, token: String) throws(TargetSpecError) -> [UInt8] {
        if item == "*" || item == "-" { return Array(0...255) }
        func octet(_ text: Substring) throws(TargetSpecError) -> UInt8 {
            guard let value = IPv4Address.parseOctet(text) else {
                throw .invalidAddress(
                    token: token,
                    reason: "octet '\(text)' is not a number 0-255 (without leading zeros)"
                )
            }
            return value
        }
        guard let dash = item.firstIndex(of: "-") else { return [try octet(item)] }
        let lowText = item[..<dash]
        let highText = item[item.index(after: dash)...]
        let low = lowText.isEmpty ? 0 : try octet(lowText)
        let high = highText.isEmpty ? 255 : try octet(highText)
        guard low <= high else {
            throw .invalidAddress(token: token, reason: "octet range \(low)-\(high) is reversed")
        }
        return Array(low...high)
    }

    private static func parseIPv6(_ token: String) throws(TargetSpecError) -> IPv6Block {
        var text = token[...]
        var prefix: Int?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw .invalidAddress(token: token, reason: "missing ']' after the IPv6 address")
            }
            let rest = text[text.index(after: close)...]
            text = text[text.index(after: text.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix("/") else {
                    throw .invalidAddress(
                        token: token,
                        reason: "unexpected '\(rest)' after ']' (a port goes in a separate argument)"
                    )
                }
                (_, prefix) = try splitPrefix(rest, token: token, maximum: 128)
            }
        }
        if prefix == nil {
            (text, prefix) = try splitPrefix(text, token: token, maximum: 128)
        }
        var zone: String?
        if let percent = text.firstIndex(of: "%") {
            let zoneText = text[text.index(after: percent)...]
            guard prefix == nil else {
                throw .invalidAddress(token: token, reason: "a zone ('%\(zoneText)') only fits a single address")
            }
            guard !zoneText.isEmpty,
                zoneText.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
            else {
                throw .invalidAddress(token: token, reason: "invalid zone '\(zoneText)'")
            }
            zone = String(zoneText)
            text = text[..<percent]
        }
        guard let address = IPv6Address(parsing: text) else {
            if text.filter({ $0 == ":" }).count == 1 {
                throw .invalidAddress(token: token, reason: "give the port as a separate argument, not HOST:PORT")
            }
            throw .invalidAddress(token: token, reason: "'\(text)' is not a valid IPv6 address")
        }
        return IPv6Block(address: address, prefix: prefix ?? 128, zone: zone)
    }
}
