/// Where a probe or signature came from: the file and the 1-based line and column.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file name as given by the user, or a resource name for the built-in database.
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column (byte offset in the line plus one); 1 when the whole line is meant.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the shape compilers use, so editors can jump to it.
    public var description: String { "\(file):\(line):\(column)" }
}
