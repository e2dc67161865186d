import AmapModel
import Foundation

/// JSON Lines: one object per endpoint, written the moment its `finished` event arrives.
///
/// No header or footer, so a file cut short by an interrupted scan is still valid JSON Lines.
public struct JSONLinesFormatter: ReportFormatter {
    /// The clock each record's `timestamp` is read from.
    private let now: @Sendable () -> Date

    /// Creates a formatter; `now` gives each record's `timestamp` (the system clock unless a test fixes it).
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Nothing: JSON Lines has no header.
    public mutating func header(startedAt date: Date) -> String { "" }

    /// One line for a `finished` event; nothing for the others.
    public mutating func format(_ event: ScanEvent) -> String {
        guard case .finished(let result) = event else { return "" }
        return JSONLinesRecord.line(for: result, timestamp: now())
    }

    /// Nothing: JSON Lines has no footer.
    public mutating func footer(finishedAt date: Date) -> String { "" }
}
