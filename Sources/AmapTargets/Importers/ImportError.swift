/// Why an imported target list was refused; every case about a place in the file carries its 1-based line number.
public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A host that is neither an address literal nor a valid host name.
    case invalidHost(format: ImportFormat, line: Int, host: String)
    /// A port that is not a number 1-65535 (or, in a host list, not a port specification).
    case invalidPort(format: ImportFormat, line: Int, port: String)
    /// A host without a port, and no default ports to scan on it.
    case missingPort(format: ImportFormat, line: Int, host: String)
    /// A line or document that does not have the format's shape.
    case malformed(format: ImportFormat, line: Int, reason: String)
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The input yields no endpoint (no open port, no target): scanning it would do nothing.
    case nothingToScan(format: ImportFormat)
    /// The file expands to more endpoints than ``ImportOptions/endpointLimit``; `line` would have crossed it.
    case tooManyEndpoints(format: ImportFormat, line: Int, limit: Int)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .invalidHost(let format, let line, let host):
            return "\(format) input, line \(line): '\(host)' is not an IP address or host name"
        case .invalidPort(let format, let line, let port):
            return "\(format) input, line \(line): invalid port '\(port)' (ports are 1-65535)"
        case .missingPort(let format, let line, let host):
            return "\(format) input, line \(line): no port for '\(host)'; give ports on the command line"
        case .malformed(let format, let line, let reason):
            return "\(format) input, line \(line): \(reason)"
        case .unreadable(let path, let reason):
            return "cannot read target file '\(path)': \(reason)"
        case .nothingToScan(let format):
            let why: String
            switch format {
            case .hostPortList: why = "it names no target"
            case .zmapCSV, .zmapJSON: why = "it has no successful reply"
            default: why = "it lists no open port (closed, filtered and open|filtered ports are not read)"
            }
            return "\(format) input: nothing to scan: \(why)"
        case .tooManyEndpoints(let format, let line, let limit):
            return "\(format) input, line \(line): the file expands to more than \(limit) endpoints; "
                + "pass --allow-huge-scan to scan them all"
        }
    }
}
