import Foundation

/// Unbuffered writes to the standard streams, so each result is out the moment it is known.
enum Terminal {
    static func standardOutput(_ text: String) {
        guard !text.isEmpty else { return }
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    static func standardError(_ line: String) {
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }
}
