import Foundation

/// Checks every file a scan will write before anything is read, resolved or sent, so that a scan that cannot
/// write its report refuses at once and leaves no partial file behind (not even the `-o FILE.old` rename).
enum OutputPreflight {
    /// Throws ``CLIError/outputUnwritable(path:reason:)`` for the first path that cannot be created or appended to.
    static func check(_ paths: [String]) throws {
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    throw CLIError.outputUnwritable(path: path, reason: "it is a directory")
                }
                if !manager.isWritableFile(atPath: path) {
                    throw CLIError.outputUnwritable(path: path, reason: "permission denied")
                }
                continue
            }
            let url = URL(fileURLWithPath: path)
            let parent = url.deletingLastPathComponent().path
            guard manager.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIError.outputUnwritable(path: path, reason: "the directory '\(parent)' does not exist")
            }
            if !manager.isWritableFile(atPath: parent) {
                throw CLIError.outputUnwritable(path: path, reason: "the directory '\(parent)' is not writable")
            }
        }
    }
}
