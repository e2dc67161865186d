import AmapTestSupport
import Foundation
import Testing
@testable import amap

/// docs/amap.1 against the command: the same options as `--help` (root, `db check`, `learn`), amap's SYNOPSIS,
/// every exit status of docs/exit-codes.md, and the FILES, EXAMPLES and SEE ALSO sections (scripts/generate-docs.sh
/// writes it; scripts/man-sections.py adds what the generator does not).
@Suite struct ManualPageTests {
    static var manual: String {
        get throws {
            try String(contentsOf: PackageRoot.url.appendingPathComponent("docs/amap.1"), encoding: .utf8)
        }
    }

    /// Option names (`-oJ`, `--output-json`) of the `.It Fl …` items in `lines`: `.It Fl oJ , -output-json Ar FILE`.
    static func manualOptions(_ lines: ArraySlice<Substring>) -> Set<String> {
        var names: Set<String> = []
        for line in lines where line.hasPrefix(".It Fl ") {
            let words = line.dropFirst(".It Fl ".count).split(separator: " ")
            for (index, word) in words.enumerated() where word != "," && word != "Fl" {
                if word == "Ar" { break }
                if index == 0 || words[index - 1] == "," || words[index - 1] == "Fl" { names.insert("-" + word) }
            }
        }
        return names
    }

    /// Option names in a help text's OPTIONS: `  -oJ, --output-json <FILE>  Write …`.
    static func helpOptions(_ help: String) -> Set<String> {
        var names: Set<String> = []
        for line in help.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("-"), line.hasPrefix("  ") else { continue }
            let head = trimmed.prefix { $0 != "<" }.split(separator: "  ").first ?? ""
            for name in head.split(separator: ",") {
                let option = name.trimmingCharacters(in: .whitespaces)
                if option.hasPrefix("-") { names.insert(String(option.split(separator: " ")[0])) }
            }
        }
        return names
    }

    /// The lines of the DESCRIPTION items of the root command and of each subcommand (`.It Em check` …).
    static func sections(_ manual: String) -> [String: ArraySlice<Substring>] {
        let lines = manual.split(separator: "\n")
        guard let start = lines.firstIndex(of: ".Sh DESCRIPTION"),
            let end = lines[start...].firstIndex(where: { $0.hasPrefix(".Sh ") && $0 != ".Sh DESCRIPTION" })
        else { return [:] }
        var result: [String: ArraySlice<Substring>] = [:]
        var name = "amap"
        var from = start
        for index in start..<end where lines[index].hasPrefix(".It Em ") {
            result[name] = lines[from..<index]
            name = String(lines[index].dropFirst(".It Em ".count))
            from = index
        }
        result[name] = lines[from..<end]
        return result
    }

    @Test func theManualListsTheOptionsOfTheHelp() throws {
        let sections = Self.sections(try Self.manual)
        let pairs: [(String, String)] = [
            ("amap", AmapCommand.helpMessage(columns: 200)),
            ("check", DBCheckCommand.helpMessage(for: DBCheckCommand.self, columns: 200)),
            ("learn", LearnCommand.helpMessage(for: LearnCommand.self, columns: 200)),
        ]
        for (name, help) in pairs {
            var manual = Self.manualOptions(try #require(sections[name], "no \(name) in the manual"))
            // The generator lists --version under every command, the subcommands' help does not; `amap` answers it
            // anywhere on the line (AmapCommand.main), so both are right.
            if name != "amap" { manual.remove("--version") }
            let expected = Self.helpOptions(help)
            #expect(expected.count > 1, "\(help)")
            let onlyManual = manual.subtracting(expected).sorted()
            let onlyHelp = expected.subtracting(manual).sorted()
            #expect(manual == expected, "\(name): only in the manual: \(onlyManual); only in --help: \(onlyHelp)")
        }
        let root = Self.manualOptions(try #require(sections["amap"]))
        #expect(root.isSuperset(of: ["-oJ", "-oX", "-oG", "-oA", "--metadata-file", "--timing", "-i"]))
    }

    @Test func synopsisExitStatusFilesExamplesAndSeeAlso() throws {
        let manual = try Self.manual
        let synopsis = try #require(manual.range(of: ".Sh SYNOPSIS\n"))
        let description = try #require(manual.range(of: ".Sh DESCRIPTION\n"))
        let head = manual[synopsis.upperBound..<description.lowerBound]
        #expect(head.hasPrefix(".Nm\n.Op Fl A | Fl B | Fl P\n"), "\(head)")
        #expect(head.contains(".Ar TARGET PORT Op Ar PORT ...") && !head.contains("subcommand"))
        let exitCodes = try String(contentsOf: PackageRoot.url.appendingPathComponent("docs/exit-codes.md"),
                                   encoding: .utf8)
        let documented = exitCodes.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| "), let code = line.dropFirst(2).split(separator: " ").first,
                Int(code) != nil else { return nil }
            return String(code)
        }
        #expect(documented == ["0", "1", "64", "130", "143", "255"])
        let status = try #require(manual.range(of: ".Sh EXIT STATUS\n"))
        let files = try #require(manual.range(of: ".Sh FILES\n"))
        let statuses = manual[status.upperBound..<files.lowerBound].split(separator: "\n")
            .filter { $0.hasPrefix(".It ") }.map { String($0.dropFirst(4)) }
        #expect(statuses == documented)
        #expect(!manual.contains(".Ex -std"))
        for section in [".Sh EXAMPLES\n", ".Sh SEE ALSO\n", ".It Pa $NMAPDIR/nmap-service-probes\n",
                        ".It Pa PREFIX.trig , PREFIX.resp , PREFIX.rpc\n"] {
            #expect(manual.contains(section), "\(section) missing")
        }
    }
}
