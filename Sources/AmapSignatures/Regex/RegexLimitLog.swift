import AmapModel
import Foundation

/// The signature lines whose regex hit a PCRE2 match, depth or heap limit while matching one port's answers.
///
/// A limit hit counts as no match, so a hostile answer cannot stall a scan; it is noted here so that the hostile
/// answer, or a signature line that backtracks badly, can be seen: the engine installs one log per endpoint as the
/// task-local ``current`` and puts ``note`` into the port's result.
///
/// `@unchecked Sendable` is sound: `locations` is read and written only while `lock` is held (the probes of one
/// port run in parallel child tasks that share the log).
public final class RegexLimitLog: @unchecked Sendable {
    /// The log that matchers running in this task write to; nil outside a scan (nothing is noted).
    @TaskLocal public static var current: RegexLimitLog?

    private let lock = NSLock()
    private var locations: [SourceLocation] = []

    /// An empty log.
    public init() {}

    /// Notes that the regex of the line at `location` hit a limit (each line once).
    public func record(_ location: SourceLocation) {
        lock.lock()
        defer { lock.unlock() }
        if !locations.contains(location) { locations.append(location) }
    }

    /// The lines noted so far, in the order they were first noted.
    public var recorded: [SourceLocation] {
        lock.lock()
        defer { lock.unlock() }
        return locations
    }

    /// A note for the port's result, naming the lines (at most ``shownLocations``); nil when none was noted.
    public var note: String? {
        let lines = recorded
        guard !lines.isEmpty else { return nil }
        let shown = lines.prefix(Self.shownLocations).map(\.description).joined(separator: ", ")
        let more = lines.count > Self.shownLocations ? " and \(lines.count - Self.shownLocations) more" : ""
        return "regex match limit exceeded, treated as no match: \(shown)\(more)"
    }

    /// The most lines a note names; a port's answer can trip many lines of one family, and a note stays short.
    public static let shownLocations = 3
}
