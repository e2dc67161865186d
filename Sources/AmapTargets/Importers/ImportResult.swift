import AmapModel

/// What an import found: the endpoints and what the user should know about how they were read.
public struct ImportResult: Sendable, Hashable {
    /// The endpoints, in file order, exact duplicates removed.
    public var endpoints: [Endpoint]
    /// Problems that did not stop the import (a file cut short).
    public var warnings: [ImportWarning]

    /// Creates a result.
    public init(endpoints: [Endpoint], warnings: [ImportWarning] = []) {
        self.endpoints = endpoints
        self.warnings = warnings
    }
}

/// A problem an import worked around.
public enum ImportWarning: Sendable, Hashable, CustomStringConvertible {
    /// The XML ends before the document does (an interrupted scan's file): the hosts complete before `line`
    /// are read, the unfinished one is not.
    case truncated(format: ImportFormat, line: Int, inside: String, completeHosts: Int)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .truncated(let format, let line, let inside, let hosts):
            return "\(format) input, line \(line): the file ends inside \(inside) (cut short?); "
                + "read the \(hosts) complete host\(hosts == 1 ? "" : "s") before it"
        }
    }
}
