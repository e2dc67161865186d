/// Why a target or port specification was refused. Every case names the offending token.
public enum TargetSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The token is neither an address, an address range, a CIDR block nor a host name.
    case invalidAddress(token: String, reason: String)
    /// A port is not a number.
    case invalidPort(token: String, item: String)
    /// A port number is outside 1...65535.
    case portOutOfRange(token: String, value: String)
    /// A range whose start is after its end (`90-80`).
    case reversedRange(token: String, low: Int, high: Int)
    /// An empty specification or an empty item inside one (`21,,80`, `T:`).
    case empty(token: String, what: String)
    /// A CIDR prefix length outside 0...32 (IPv4) or 0...128 (IPv6).
    case prefixOutOfRange(token: String, prefix: String, maximum: Int)
    /// The specification expands to more addresses than allowed without explicit confirmation.
    case tooManyAddresses(token: String, count: UInt64, limit: UInt64)
    /// The specification has too many addresses to enumerate at all (an IPv6 block wider than /65).
    case notEnumerable(token: String)
    /// A target group has no ports and no default ports were given.
    case missingPorts(target: String)
    /// A target group of several targets has no ports: its last word was read as a target but was most likely meant
    /// as a port (`127.0.0.1 abc`).
    case notTargetOrPort(token: String, target: String)
    /// The first positional argument looks like a port; amap expects `TARGET PORT [PORT...]`.
    case expectedTarget(token: String)
    /// The whole job has more (address, port) pairs than a 64-bit counter holds.
    case jobTooLarge

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .invalidAddress(let token, let reason):
            return "invalid target '\(token)': \(reason)"
        case .invalidPort(let token, let item):
            return "invalid port '\(item)' in '\(token)': ports are numbers 1-65535 or ranges A-B"
        case .portOutOfRange(let token, let value):
            return "port \(value) in '\(token)' is out of range: ports are 1-65535"
        case .reversedRange(let token, let low, let high):
            return "port range \(low)-\(high) in '\(token)' is reversed: write \(high)-\(low)"
        case .empty(let token, let what):
            return token.isEmpty ? "empty \(what)" : "empty \(what) in '\(token)'"
        case .prefixOutOfRange(let token, let prefix, let maximum):
            return "CIDR prefix /\(prefix) in '\(token)' is out of range: use 0-\(maximum)"
        case .tooManyAddresses(let token, let count, let limit):
            return "'\(token)' expands to \(count) addresses, more than \(limit); "
                + "this needs explicit confirmation to scan"
        case .notEnumerable(let token):
            return "'\(token)' has more than 2^63 addresses and cannot be scanned: use a prefix of /65 or longer"
        case .missingPorts(let target):
            return "no ports given for target '\(target)': write ports after it (for example '\(target) 22 80-90')"
        case .notTargetOrPort(let token, let target):
            return "'\(token)' is not a port (ports are numbers 1-65535, ranges A-B or lists), and read as a second "
                + "target it leaves '\(target)' without ports: write ports after the target (for example "
                + "'\(target) 22 80-90')"
        case .expectedTarget(let token):
            return "'\(token)' looks like a port, but the first argument must be a target (TARGET PORT [PORT...])"
        case .jobTooLarge:
            return "the scan has more than 2^64 (address, port) pairs: narrow the targets or ports"
        }
    }
}
