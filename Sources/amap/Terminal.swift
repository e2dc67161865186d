import Foundation

/// Unbuffered writes to the standard streams, so each result is out the moment it is known.
enum Terminal {
    static func standardOutput(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
