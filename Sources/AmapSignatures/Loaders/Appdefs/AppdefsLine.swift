/// One physical line of an appdefs file, split the way amap 5.4 reads it with `fgets`.
struct AppdefsLine {
    /// 1-based line number.
    var number: Int
    /// The bytes of the line without its LF and without one trailing CR.
    var bytes: ArraySlice<UInt8>
    /// The line's length as `fgets` sees it: its bytes, a CR if there was one, and the LF.
    var lengthWithTerminator: Int

    /// amap reads lines into a 1,024-byte buffer with `fgets`, which keeps room for the NUL: a line of more than
    /// 1,023 bytes counting its LF (and CR) does not fit, and amap stops with a fatal error.
    static let maximumLength = 1_023

    /// Splits `bytes` at LF. A final line without a LF is still a line (amap would reject it; nothing is gained
    /// by doing the same).
    static func split(_ bytes: [UInt8]) -> [AppdefsLine] {
        var lines: [AppdefsLine] = []
        var start = 0
        var number = 1
        let newline = UInt8(ascii: "\n")
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: newline) ?? bytes.count
            var content = bytes[start..<end]
            if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
            lines.append(AppdefsLine(number: number, bytes: content, lengthWithTerminator: end - start + 1))
            start = end + 1
            number += 1
        }
        return lines
    }

    /// True for lines amap skips without a word: empty, only spaces and tabs, or starting with `#`.
    var isBlankOrComment: Bool {
        guard let first = bytes.first else { return true }
        if first == UInt8(ascii: "#") { return true }
        return bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
}

/// A problem with one line: where (1-based column) and what was expected. Turned into a `LoadDiagnostic` by the
/// parsers, so the field parsers need not know the file name.
struct AppdefsLineError: Error {
    /// 1-based column in the raw line.
    var column: Int
    /// What is wrong and what was expected.
    var message: String

    init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }
}

/// A warning about a line that is still loaded.
struct AppdefsLineWarning {
    /// 1-based column in the raw line.
    var column: Int
    /// What is doubtful.
    var message: String

    init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }
}
