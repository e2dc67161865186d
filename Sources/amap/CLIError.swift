/// Fatal problems of a scan's set-up, each with a message the user can act on.
enum CLIError: Error, CustomStringConvertible {
    case outputUnwritable(path: String, reason: String)

    var description: String {
        switch self {
        case .outputUnwritable(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        }
    }
}
