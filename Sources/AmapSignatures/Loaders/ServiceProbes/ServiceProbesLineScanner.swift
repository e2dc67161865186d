/// A problem on one line of an nmap-service-probes file: the 1-based column and what was expected there.
struct ServiceProbesLineError: Error, Sendable, Hashable {
    /// 1-based column (byte offset plus one).
    var column: Int
    /// What is wrong and what was expected.
    var message: String
}

/// A cursor over the bytes of one line (without its `\n`), with the byte classes nmap's C parser uses.
struct ServiceProbesLineScanner {
    /// The line's bytes.
    let bytes: [UInt8]
    /// Index of the next byte to read.
    var index: Int

    /// Starts at `index` (0 by default).
    init(_ bytes: [UInt8], at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// 1-based column of the next byte.
    var column: Int { index + 1 }

    /// True when every byte has been read.
    var isAtEnd: Bool { index >= bytes.count }

    /// The next byte, if any.
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Skips ASCII whitespace (`\r` included, so CRLF line ends are harmless where whitespace is allowed).
    mutating func skipWhitespace() {
        while index < bytes.count, TemplateText.isWhitespace(bytes[index]) { index += 1 }
    }

    /// Consumes `literal` if the line continues with it.
    mutating func consume(_ literal: String) -> Bool {
        let expected = Array(literal.utf8)
        guard bytes.count - index >= expected.count,
            bytes[index..<(index + expected.count)].elementsEqual(expected)
        else { return false }
        index += expected.count
        return true
    }

    /// Consumes and returns the bytes that satisfy `predicate`.
    mutating func take(while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = index
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
        return bytes[start..<index]
    }

    /// Consumes and returns the bytes up to (not including) the next `delimiter`, then the delimiter itself;
    /// nil, with nothing consumed, when the line has no further `delimiter`.
    mutating func take(upTo delimiter: UInt8) -> ArraySlice<UInt8>? {
        guard let end = bytes[index...].firstIndex(of: delimiter) else { return nil }
        let body = bytes[index..<end]
        index = end + 1
        return body
    }

    /// The rest of the line with surrounding whitespace removed (empty if nothing is left).
    var restTrimmed: ArraySlice<UInt8> {
        var start = index
        var end = bytes.count
        while start < end, TemplateText.isWhitespace(bytes[start]) { start += 1 }
        while end > start, TemplateText.isWhitespace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// An error at the next byte (or at `column`).
    func error(_ message: String, column: Int? = nil) -> ServiceProbesLineError {
        ServiceProbesLineError(column: column ?? self.column, message: message)
    }

    /// Bytes rendered for a message: printable ASCII as is, anything else as `\xHH`, at most `limit` bytes.
    static func shown<C: Collection>(_ bytes: C, limit: Int = 40) -> String where C.Element == UInt8 {
        let text = PrintableBytes.text(bytes.prefix(limit))
        return bytes.count > limit ? text + "…" : text
    }

    /// Parses an unsigned decimal at the cursor (at most `maximumDigits` digits, so it cannot overflow).
    mutating func decimal(maximumDigits: Int = 9) -> Int? {
        let digits = take(while: TemplateText.isDigit)
        guard !digits.isEmpty, digits.count <= maximumDigits else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
