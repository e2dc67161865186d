import AmapKit
import ArgumentParser
import Testing
@testable import amap

/// Issue 12's help and error texts, in-process: `amap help SUBCOMMAND`, a bare subcommand, a word that is neither
/// target nor port, defaults printed once, the USAGE line, `--` and `-6`.
@Suite struct HelpAndErrorTextTests {
    /// The text ArgumentParser would print for what `arguments` throw (help or an error), and whether it is an error.
    static func outcome(_ arguments: [String]) -> (text: String, isError: Bool) {
        do {
            _ = try AmapCommand.command(for: arguments)
            return ("", false)
        } catch {
            return (AmapCommand.fullMessage(for: error, columns: 120), AmapCommand.exitCode(for: error) != .success)
        }
    }

    @Test(arguments: [("db", "amap db"), ("learn", "amap learn")])
    func helpSubcommandShowsThatSubcommandsHelp(name: String, usage: String) {
        let help = Self.outcome(["help", name])
        #expect(!help.isError, "\(help.text)")
        #expect(help.text.contains("USAGE: \(usage)"), "\(help.text)")
        #expect(!help.text.contains("no ports given"))
    }

    @Test func helpAloneShowsTheRootHelp() {
        let help = Self.outcome(["help"])
        #expect(!help.isError)
        #expect(help.text.contains("USAGE: amap [options] TARGET PORT [PORT ...]"), "\(help.text)")
    }

    @Test func bareLearnShowsLearnsHelp() {
        let help = Self.outcome(["learn"])
        #expect(!help.isError, "\(help.text)")
        #expect(help.text.contains("USAGE: amap learn"), "\(help.text)")
        #expect(!help.text.contains("Missing expected argument"))
    }

    @Test func aWordThatIsNeitherTargetNorPortIsNamed() throws {
        let options = try CommandParsingTests.scanOptions(["127.0.0.1", "abc"])
        #expect(throws: (any Error).self) { _ = try TargetSelection(options: options).job() }
        do {
            _ = try TargetSelection(options: options).job()
        } catch {
            let message = String(describing: error)
            #expect(message.contains("'abc'"), "\(message)")
            #expect(message.contains("port"), "\(message)")
        }
    }

    @Test func everyDefaultIsPrintedOnce() {
        let help = AmapCommand.helpMessage(columns: 400)
        for line in help.split(separator: "\n") {
            let count = line.components(separatedBy: "default").count - 1
            #expect(count <= 1, "default printed twice: \(line)")
        }
        for sub in [LearnCommand.helpMessage(for: LearnCommand.self, columns: 400),
                    DBCheckCommand.helpMessage(for: DBCheckCommand.self, columns: 400)] {
            for line in sub.split(separator: "\n") {
                #expect(line.components(separatedBy: "default").count - 1 <= 1, "default printed twice: \(line)")
            }
        }
    }

    @Test func responseTimeoutHelpIsTrue() throws {
        let help = AmapCommand.helpMessage(columns: 400)
        let line = try #require(help.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces)
            .hasPrefix("-t <SEC>") })
        #expect(!line.contains("at most"), "\(line)")
        #expect(line.contains("default 5"), "\(line)")
    }

    @Test func usageReadsLikeAmapsAndNamesTheSubcommandsAndDoubleDash() throws {
        let help = AmapCommand.helpMessage(columns: 120)
        #expect(help.contains("USAGE: amap [options] TARGET PORT [PORT ...]"), "\(help)")
        for line in ["amap db check", "amap learn", "amap help"] {
            #expect(help.contains(line), "\(line) missing from USAGE:\n\(help)")
        }
        #expect(help.contains("amap [options] -- db 22"), "the '--' rule is not documented:\n\(help)")
        // And it works: after `--` a subcommand's name is a host.
        #expect(try CommandParsingTests.scanOptions(["--", "db", "22"]).positional == ["db", "22"])
    }

    @Test func dashSixUsesIPv6AddressesOnly() async throws {
        #expect(try CommandParsingTests.scanOptions(["-6", "localhost", "22"]).ipv6)
        let job = try ScanJob(groups: [TargetGroup(targets: [try TargetSpec.parse("localhost")],
                                                   ports: try PortList.parse("22"))])
        let all = try await EndpointResolver.addresses(of: "localhost")
        if all.contains(where: { $0.contains(":") }) {
            let resolved = try await TargetResolution.resolve(job, ipv6Only: true)
            #expect(resolved.map(\.address).allSatisfy { $0.contains(":") }, "\(Array(resolved))")
        } else {
            // This machine's hosts file maps localhost to 127.0.0.1 only: -6 must say so, not scan 127.0.0.1.
            await #expect {
                _ = try await TargetResolution.resolve(job, ipv6Only: true)
            } throws: { error in
                String(describing: error).contains("no IPv6 address")
            }
        }
    }
}
