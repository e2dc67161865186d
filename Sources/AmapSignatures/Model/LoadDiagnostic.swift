import AmapModel

/// A problem found while loading a signature file: where it is and what was expected there.
public struct LoadDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable {
        /// The line was loaded, but something about it is doubtful.
        case warning
        /// The line (or the file) could not be loaded; it was skipped.
        case error
    }

    /// Warning or error.
    public var severity: Severity
    /// File, line and column.
    public var location: SourceLocation
    /// What is wrong and what was expected, in words a user can act on.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line:column: error: message`, the shape editors and CI logs understand.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// A signature file that could not be used at all.
public enum SignatureFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// Strict loading was asked for and the file has errors; all are listed.
    case invalid(path: String, diagnostics: [LoadDiagnostic])

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read signature file '\(path)': \(reason)"
        case .invalid(let path, let diagnostics):
            let lines = diagnostics.filter { $0.severity == .error }.map(\.description)
            return "signature file '\(path)' has \(lines.count) error(s):\n" + lines.joined(separator: "\n")
        }
    }
}
