import AmapModel
import Foundation

/// A report format: turns scan events into text, without doing any I/O.
///
/// The caller (the CLI) writes each returned string as soon as it gets it, so output streams. A
/// formatter may keep state between calls (the amap formats list unidentified ports at the end), which
/// is why the methods are `mutating`. Every returned string is either empty or a sequence of complete
/// lines, each ending in `\n`.
public protocol ReportFormatter: Sendable {
    /// The text that opens the report.
    mutating func header(startedAt date: Date) -> String
    /// The text for one event; empty when this format has nothing to say about it.
    mutating func format(_ event: ScanEvent) -> String
    /// The text that closes the report.
    mutating func footer(finishedAt date: Date) -> String
}
