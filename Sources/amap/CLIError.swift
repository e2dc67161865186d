/// Fatal problems of a scan's set-up, each with a message the user can act on.
enum CLIError: Error, CustomStringConvertible {
    case outputUnwritable(path: String, reason: String)
    /// `-p NAME` names no trigger of the database in use (amap 5.4: "no triggers loaded", exit 255).
    case unknownTrigger(name: String, valid: [String])

    var description: String {
        switch self {
        case .outputUnwritable(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        case .unknownTrigger(let name, let valid):
            return "no triggers loaded: -p '\(name)' names no trigger of the database in use (names are "
                + "case-sensitive); valid names: \(valid.joined(separator: " "))"
        }
    }
}
