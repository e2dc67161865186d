import AmapModel
import Foundation

/// JSON Lines: one object per endpoint, written the moment its `finished` event arrives.
///
/// No header or footer, so a file cut short by an interrupted scan is still valid JSON Lines.
public struct JSONLinesFormatter: ReportFormatter {
    /// Creates a formatter.
    public init() {}

    /// Nothing: JSON Lines has no header.
    public mutating func header(startedAt date: Date) -> String { "" }

    /// One line for a `finished` event; nothing for the others.
    public mutating func format(_ event: ScanEvent) -> String {
        guard case .finished(let result) = event else { return "" }
        return JSONLinesRecord.line(for: result)
    }

    /// Nothing: JSON Lines has no footer.
    public mutating func footer(finishedAt date: Date) -> String { "" }
}
