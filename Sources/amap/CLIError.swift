/// Fatal problems of a scan's set-up, each with a message the user can act on.
enum CLIError: Error, CustomStringConvertible {
    case nmapDatabaseNotFound(searched: [String])
    case outputUnwritable(path: String, reason: String)

    var description: String {
        switch self {
        case .nmapDatabaseNotFound(let searched):
            return "--nmap: no nmap-service-probes found (looked in $NMAPDIR and \(searched.joined(separator: ", "))); "
                + "install nmap ('apt-get install nmap-common') or give the file with --nmap-db FILE"
        case .outputUnwritable(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        }
    }
}
