import AmapModel
import Foundation

/// The record of one run (`--metadata-file`): which amap, which signature files (path and SHA-256), the command
/// line, start and end times, and the counts of what was found. Documented in `docs/json-lines.md` ("Run record"),
/// schema in `docs/run-record.schema.json`.
public struct RunRecord: Sendable {
    /// The record layout's version, raised when a key is removed or changes meaning.
    public static let schemaVersion = 1

    /// A signature file and the SHA-256 of its bytes (nil when it could not be read).
    public struct DatabaseFile: Sendable, Hashable {
        /// The path it was read from.
        public var path: String
        /// 64 lowercase hex digits.
        public var sha256: String?

        /// Reads `path` and digests it.
        public init(path: String) {
            self.path = path
            sha256 = FileManager.default.contents(atPath: path).map { SHA256.hex([UInt8]($0)) }
        }
    }

    /// Name and version, as `--version` prints them.
    public var branding: ReportBranding
    /// The signature files, in load order.
    public var databases: [DatabaseFile]
    /// The command line, `argv[0]` first.
    public var arguments: [String]
    /// When the scan started.
    public var startedAt: Date
    /// When it ended (nil while running).
    public var finishedAt: Date?
    /// False when an interrupt cut the scan short.
    public var completed: Bool
    /// The counts of the finished endpoints.
    public private(set) var counts = Counts()

    /// What the finished endpoints were.
    public struct Counts: Sendable, Hashable {
        /// Finished endpoints.
        public var endpoints = 0
        /// Endpoints with at least one identification.
        public var identified = 0
        /// Per nmap state.
        public var states: [PortState: Int] = [:]
        /// Per ``ScanStatus``.
        public var statuses: [ScanStatus: Int] = [:]
    }

    /// A record for a run that starts at `startedAt`.
    public init(branding: ReportBranding = .swiftAmap, databases: [DatabaseFile], arguments: [String],
                startedAt: Date) {
        self.branding = branding
        self.databases = databases
        self.arguments = arguments
        self.startedAt = startedAt
        finishedAt = nil
        completed = false
    }

    /// Counts a finished endpoint.
    public mutating func record(_ result: PortResult) {
        counts.endpoints += 1
        if !result.identifications.isEmpty { counts.identified += 1 }
        counts.states[result.state, default: 0] += 1
        counts.statuses[result.status, default: 0] += 1
    }

    /// The JSON object, every key always present (`finished_at` null until set).
    public var object: JSONValue {
        let states: [PortState] = [.open, .closed, .filtered, .openFiltered, .unknown]
        return .object([
            ("type", .string("run")),
            ("run_schema_version", .int(Self.schemaVersion)),
            ("json_lines_schema_version", .int(JSONLinesRecord.schemaVersion)),
            ("program", .string(branding.program)),
            ("version", .string(branding.version)),
            ("databases", .array(databases.map { file in
                .object([("path", .string(file.path)), ("sha256", .optional(file.sha256))])
            })),
            ("arguments", .array(arguments.map(JSONValue.string))),
            ("started_at", .string(ReportTimestamp.rfc3339(startedAt))),
            ("finished_at", .optional(finishedAt.map(ReportTimestamp.rfc3339))),
            ("completed", .bool(completed)),
            ("counts", .object([
                ("endpoints", .int(counts.endpoints)),
                ("identified", .int(counts.identified)),
                ("state", .object(states.map { ($0.rawValue, .int(counts.states[$0] ?? 0)) })),
                ("status", .object(ScanStatus.allCases.map { ($0.rawValue, .int(counts.statuses[$0] ?? 0)) })),
            ])),
        ])
    }
}
