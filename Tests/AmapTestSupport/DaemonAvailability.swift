import Foundation
import Testing

/// Which rows of the port table answer as the table says, and the test gate built on it.
///
/// Without the daemons the end-to-end tests are disabled with a message naming the missing rows and the command that
/// starts them; with `AMAP_REQUIRE_DAEMONS=1` (set by `scripts/test.sh`, hence CI) they run and fail with that message.
public enum DaemonAvailability {
    /// `AMAP_REQUIRE_DAEMONS=1`: missing daemons are a failure, not a reason to skip.
    public static let required = ProcessInfo.processInfo.environment["AMAP_REQUIRE_DAEMONS"] == "1"

    /// How each row was observed, checked once per test run (a few milliseconds on loopback).
    public static let observed: [DaemonRow: PortProbe.Outcome] = {
        var result: [DaemonRow: PortProbe.Outcome] = [:]
        for row in DaemonTable.rows {
            if row.proto == "tcp" {
                result[row] = PortProbe.tcp(address: row.address, port: row.port)
            } else {
                result[row] = PortProbe.udp(
                    address: row.address, port: row.port, payload: UDPRequests.request(forService: row.bareService),
                    anyReplyPort: UDPRequests.answersFromAnotherPort(service: row.bareService)
                )
            }
        }
        return result
    }()

    /// Whether `row` is in the state the table gives it (`open`/`silent`: accepts or answers; `closed`: refused).
    public static func isAsExpected(_ row: DaemonRow) -> Bool {
        switch (row.state, row.proto, observed[row]) {
        case ("closed", _, .refused?): return true
        case ("open", "tcp", .answered?), ("silent", "tcp", .answered?): return true
        case ("open", "udp", .answered?): return true
        default: return false
        }
    }

    /// The rows among `rows` that do not answer as the table says.
    public static func missing(_ rows: [DaemonRow]) -> [DaemonRow] {
        rows.filter { !isAsExpected($0) }
    }

    /// The user's message for `missing` rows.
    public static func message(_ missing: [DaemonRow]) -> String {
        if DaemonTable.rows.isEmpty {
            return "the port table \(DaemonTable.url.path) is missing or empty"
        }
        let list = missing.map { "\($0.name) (\($0.amapEndpoint), unit \($0.unit.isEmpty ? "-" : $0.unit): "
            + "\(observed[$0].map(\.description) ?? "not checked"), expected \($0.state))" }
        return "daemons missing: \(list.joined(separator: ", ")); start them with 'bash scripts/daemons.sh start' "
            + "(as root; see scripts/README.md)"
    }

    /// A trait that disables a test whose `rows` are not all there, unless `AMAP_REQUIRE_DAEMONS=1`.
    public static func needs(_ rows: [DaemonRow]) -> ConditionTrait {
        let missing = DaemonTable.rows.isEmpty ? rows : missing(rows)
        let comment = Comment(rawValue: missing.isEmpty && !DaemonTable.rows.isEmpty ? "daemons present"
                              : message(missing))
        return .enabled(if: required || (missing.isEmpty && !DaemonTable.rows.isEmpty), comment)
    }

    public static func needs(_ names: String...) -> ConditionTrait { needs(rows(names)) }

    /// Throws (failing the test) when any of `rows` is missing; called first by every gated test so that
    /// `AMAP_REQUIRE_DAEMONS=1` turns missing daemons into a failure with the same message.
    public static func require(_ rows: [DaemonRow]) throws {
        if DaemonTable.rows.isEmpty { throw Missing(message: message([])) }
        let missing = missing(rows)
        if !missing.isEmpty { throw Missing(message: message(missing)) }
    }

    public static func require(_ names: String...) throws { try require(rows(names)) }

    /// Table rows by name; an unknown name becomes a placeholder row that is always missing.
    public static func rows(_ names: [String]) -> [DaemonRow] {
        names.map { name in
            DaemonTable.row(name) ?? DaemonRow(
                name: name, address: "-", port: 0, proto: "tcp", service: "", product: "", state: "open", unit: "",
                nmapService: ""
            )
        }
    }

    /// Missing daemons, as a test failure.
    public struct Missing: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
