import AmapModel

/// The ports to scan on each target: a TCP set and a UDP set.
///
/// Syntax (``parse(_:defaultTransport:)``), a superset of amap's single `N` / `A-B` argument:
/// comma-separated items `N`, `A-B`, `A-` (to 65535), `-B` (from 1) or `-` (all), each optionally
/// prefixed with `T:` or `U:`. As in nmap, a prefix applies to its item and every later item until
/// the next prefix: `U:53,111,T:21-25` is UDP 53 and 111, TCP 21 to 25. Items without any prefix
/// use the default transport (TCP, or UDP under amap's `-u`).
public struct PortList: Sendable, Hashable, CustomStringConvertible {
    /// TCP ports.
    public var tcp: PortSet
    /// UDP ports.
    public var udp: PortSet

    /// Creates a list from the two sets.
    public init(tcp: PortSet = PortSet(), udp: PortSet = PortSet()) {
        self.tcp = tcp
        self.udp = udp
    }

    /// True when neither set holds a port.
    public var isEmpty: Bool { tcp.isEmpty && udp.isEmpty }

    /// The number of (port, transport) pairs.
    public var count: Int { tcp.count + udp.count }

    /// The set for one transport.
    public subscript(transport: Transport) -> PortSet {
        get { transport == .tcp ? tcp : udp }
        set {
            if transport == .tcp { tcp = newValue } else { udp = newValue }
        }
    }

    /// Adds every port of `other`.
    public mutating func formUnion(_ other: PortList) {
        tcp.formUnion(other.tcp)
        udp.formUnion(other.udp)
    }

    /// `T:22,80-89,U:53`; a list with only TCP ports prints without prefix.
    public var description: String {
        if udp.isEmpty { return tcp.description }
        if tcp.isEmpty { return "U:\(udp)" }
        return "T:\(tcp),U:\(udp)"
    }

    /// True when `token` is shaped like a port specification (digits, `,`, `-`, `T:`/`U:`
    /// prefixes) rather than a target. Used to classify positional arguments before parsing, so
    /// that a malformed port such as `90-80` gets a port error, not an address error.
    public static func looksLikePortSpec(_ token: String) -> Bool {
        var sawPortCharacter = false
        for rawItem in token.split(separator: ",", omittingEmptySubsequences: false) {
            var item = rawItem
            if let first = item.first, "TtUu".contains(first), item.dropFirst().first == ":" {
                item = item.dropFirst(2)
            }
            for character in item {
                guard character == "-" || (character.isASCII && character.isNumber) else { return false }
                sawPortCharacter = true
            }
        }
        return sawPortCharacter
    }

    /// Parses a port specification (see the type's documentation).
    public static func parse(_ text: String, defaultTransport: Transport = .tcp) throws(TargetSpecError) -> PortList {
        guard !text.isEmpty else { throw .empty(token: text, what: "port specification") }
        var list = PortList()
        var transport = defaultTransport
        for rawItem in text.split(separator: ",", omittingEmptySubsequences: false) {
            var item = rawItem
            if item.count >= 2, item[item.index(after: item.startIndex)] == ":" {
                switch item.first {
                case "T", "t": transport = .tcp
                case "U", "u": transport = .udp
                default: throw .invalidPort(token: text, item: String(rawItem))
                }
                item = item.dropFirst(2)
            }
            guard !item.isEmpty else { throw .empty(token: text, what: "port item") }
            list[transport].insert(try parseItem(item, token: text))
        }
        return list
    }

    /// `N`, `A-B`, `A-`, `-B` or `-`.
    private static func parseItem(_ item: Substring, token: String) throws(TargetSpecError) -> ClosedRange<UInt16> {
        guard let dash = item.firstIndex(of: "-") else {
            let port = try parsePort(item, token: token)
            return port...port
        }
        let lowText = item[..<dash]
        let highText = item[item.index(after: dash)...]
        let low = lowText.isEmpty ? 1 : try parsePort(lowText, token: token)
        let high = highText.isEmpty ? UInt16.max : try parsePort(highText, token: token)
        guard low <= high else { throw .reversedRange(token: token, low: Int(low), high: Int(high)) }
        return low...high
    }

    private static func parsePort(_ text: Substring, token: String) throws(TargetSpecError) -> UInt16 {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidPort(token: token, item: String(text))
        }
        // Anything longer than 5 digits is out of range; don't let Int overflow decide.
        guard text.count <= 5, let value = Int(text), (1...Int(UInt16.max)).contains(value) else {
            throw .portOutOfRange(token: token, value: String(text))
        }
        return UInt16(value)
    }
}
