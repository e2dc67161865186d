import AmapKit
import ArgumentParser
import Testing
@testable import amap

/// The command line parsed in-process: amap 5.4's flags, our long options, the `-oJ` rewriting, subcommand dispatch.
@Suite struct CommandParsingTests {
    /// The scan options `arguments` parse to (the root command).
    static func scanOptions(_ arguments: [String]) throws -> ScanOptions {
        let command = try AmapCommand.command(for: arguments)
        return try #require(command as? AmapCommand).options
    }

    @Test func amapFlagsAndPositionalTargets() throws {
        let options = try Self.scanOptions(["-bqv", "-1", "-t", "2", "-T", "3", "-C", "4", "127.0.0.1", "22", "80-81"])
        #expect(options.printBanner && options.quiet && options.stopAtFirst)
        #expect(options.verbosity == 1)
        #expect(options.responseTimeout == 2)
        #expect(options.connectTimeout == 3)
        #expect(options.connectAttempts == 4)
        #expect(options.positional == ["127.0.0.1", "22", "80-81"])
    }

    @Test func optionsNotGivenStayUnset() throws {
        let options = try Self.scanOptions(["127.0.0.1", "22"])
        #expect(options.responseTimeout == nil && options.connectTimeout == nil && options.connectAttempts == nil)
        #expect(options.connections == nil && options.parallelProbes == nil)
        #expect(try options.timing == nil)
    }

    @Test func nmapStyleOutputOptionsAreSingleDashOptions() throws {
        let options = try Self.scanOptions(["-oJ", "a.jsonl", "-oX", "a.xml", "-oG", "a.gnmap", "127.0.0.1", "22"])
        #expect(options.jsonFile == "a.jsonl")
        #expect(options.xmlFile == "a.xml")
        #expect(options.grepableFile == "a.gnmap")
        // After `--` an option's name is a target like any other.
        #expect(try Self.scanOptions(["127.0.0.1", "22", "--", "-oJ"]).positional == ["127.0.0.1", "22", "-oJ"])
        // amap's own -o and -A keep working next to them.
        let amap = try Self.scanOptions(["-o", "log", "-A", "127.0.0.1", "22"])
        #expect(amap.outputFile == "log" && amap.mapMode && amap.outputBase == nil)
    }

    @Test func outputAllNamesTheFourReportsAndAFormatGivenAloneKeepsItsFile() throws {
        let options = try Self.scanOptions(["-oA", "scan", "127.0.0.1", "22"])
        #expect(!options.mapMode && options.outputFile == nil)
        #expect(OutputPaths(options: options)
                == OutputPaths(log: "scan.amap", json: "scan.jsonl", xml: "scan.xml", grepable: "scan.gnmap"))
        let mixed = try Self.scanOptions(["-oA", "scan", "-oX", "-", "127.0.0.1", "22"])
        #expect(OutputPaths(options: mixed)
                == OutputPaths(log: "scan.amap", json: "scan.jsonl", xml: "-", grepable: "scan.gnmap"))
        #expect(OutputPaths(options: mixed).files == ["scan.amap", "scan.jsonl", "scan.gnmap"])
        #expect(OutputPaths(options: mixed).usesStandardOutput)
        // -m applies to the -oA log.
        #expect(throws: Never.self) { try Self.scanOptions(["-m", "-oA", "scan", "127.0.0.1", "22"]) }
    }

    @Test func versionIsAnsweredBeforeParsingAndOnlyBeforeTheSeparator() {
        #expect(VersionText.isRequested(["--version"]))
        #expect(VersionText.isRequested(["-v", "--version", "127.0.0.1"]))
        #expect(!VersionText.isRequested(["127.0.0.1", "22", "--", "--version"]))
        #expect(!VersionText.isRequested(["--version-intensity", "3", "127.0.0.1", "22"]))
        #expect(VersionText.full().hasPrefix("amap 5.4-swift (swift-amap)\nbuilt-in database: "))
    }

    @Test func aSubcommandNameInFirstPositionSelectsIt() throws {
        #expect(try AmapCommand.command(for: ["db", "check"]) is DBCheckCommand)
        #expect(try AmapCommand.command(for: ["learn", "127.0.0.1", "1"]) is LearnCommand)
        // Elsewhere it is a target like any other.
        #expect(try Self.scanOptions(["127.0.0.1", "22", "db"]).positional == ["127.0.0.1", "22", "db"])
    }

    @Test(arguments: [
        (["-4", "-6", "127.0.0.1", "1"], "-4 and -6 exclude each other"),
        (["-A", "-B", "127.0.0.1", "1"], "choose one mode"),
        (["-m", "127.0.0.1", "1"], "-m makes the -o log machine-readable, so it needs -o FILE"),
        (["-oX", "-", "-oG", "-", "127.0.0.1", "1"], "only one report can go to standard output"),
        (["-oA", "-", "127.0.0.1", "1"], "-oA - would send four reports to standard output"),
        (["--json", "-oJ", "-", "127.0.0.1", "1"], "--json and an output to '-'"),
        (["-c", "0", "127.0.0.1", "1"], "-c needs at least 1 connection (got 0)"),
        (["-C", "101", "127.0.0.1", "1"], "-C needs 1 to 100 attempts (got 101)"),
        (["-t", "0", "127.0.0.1", "1"], "-t needs 1 to 240 seconds (got 0)"),
        (["--timing", "warp", "127.0.0.1", "1"], "--timing: unknown profile 'warp'"),
        (["--parallel-probes", "17", "127.0.0.1", "1"], "--parallel-probes needs 1 to 16 (got 17)"),
        (["--journal", "a", "--resume", "b", "127.0.0.1", "1"], "give only one"),
        (["--shard", "4/3", "127.0.0.1", "1"], "between 1 and 3"),
        (["-W", "127.0.0.1", "1"], "the web update (-W) was removed"),
        (["--proxy", "socks4://127.0.0.1:1080", "127.0.0.1", "1"], "--proxy: invalid proxy URL"),
        (["--proxy", "socks5://a:pw@127.0.0.1:1080", "-u", "127.0.0.1", "1"], "--proxy tunnels TCP only"),
        ([], "no target"),
    ])
    func validationErrorsNameTheProblemAndExit64(arguments: [String], message: String) {
        do {
            _ = try AmapCommand.command(for: arguments)
            Issue.record("accepted: \(arguments)")
        } catch {
            #expect(AmapCommand.message(for: error).contains(message), "\(arguments)")
            #expect(AmapCommand.exitCode(for: error).rawValue == ExitStatus.usage)
        }
    }
}
