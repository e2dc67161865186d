import AmapTestSupport
import Testing
@testable import amap

/// `amap --help` and the subcommands' help, against the snapshots in Snapshots/ (rewrite them with
/// `AMAP_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests` after changing an option, then regenerate
/// docs/ with scripts/generate-docs.sh).
@Suite struct HelpSnapshotTests {
    /// Help is wrapped to the terminal's width; a fixed width makes it comparable.
    static let columns = 120

    @Test func rootHelp() throws {
        let help = AmapCommand.helpMessage(columns: Self.columns)
        let lines = help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for option in ["-oJ, --output-json <FILE>", "-oX, --output-xml <FILE>", "-oG, --output-grepable <FILE>",
                       "-oA, --output-all <BASE>", "--version"] {
            #expect(lines.contains { $0.hasPrefix(option) }, "\(option) is not in --help")
        }
        if let mismatch = try Snapshot.mismatch(help, name: "amap-help.txt") { Issue.record("\(mismatch)") }
    }

    @Test func subcommandHelp() throws {
        let check = DBCheckCommand.helpMessage(for: DBCheckCommand.self, columns: Self.columns)
        if let mismatch = try Snapshot.mismatch(check, name: "amap-db-check-help.txt") { Issue.record("\(mismatch)") }
        let learn = LearnCommand.helpMessage(for: LearnCommand.self, columns: Self.columns)
        if let mismatch = try Snapshot.mismatch(learn, name: "amap-learn-help.txt") { Issue.record("\(mismatch)") }
    }
}
