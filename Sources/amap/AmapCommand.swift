import ArgumentParser
import Foundation

/// The `amap` command: scanning with amap 5.4's options at the top level, plus subcommands of our own.
@main
struct AmapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amap",
        abstract: "Application protocol mapper: names the service behind TCP and UDP ports.",
        version: VersionText.program,
        subcommands: [DBCommand.self, LearnCommand.self]
    )

    @OptionGroup var options: ScanOptions

    func run() async throws {
        try await ScanRunner(options: options).run()
    }

    /// The command `arguments` (without the program name) ask for, parsed and validated; a subcommand's name in first
    /// position selects it. (`-oJ`, `-oX`, `-oG`, `-oA` are single-dash long options, parsed as they are.)
    static func command(for arguments: [String]) throws -> ParsableCommand {
        // The root command takes positional targets, so ArgumentParser would read `db` as a host name: a
        // subcommand's name in first position is dispatched by hand.
        if let first = arguments.first,
            let subcommand = configuration.subcommands.first(where: { $0._commandName == first })
        {
            return try subcommand.parseAsRoot(Array(arguments.dropFirst()))
        }
        return try parseAsRoot(arguments)
    }

    /// Parses the process's arguments and runs the command; errors end the process with ArgumentParser's message.
    /// `--version` needs no target, so it is answered before parsing.
    static func main() async {
        // A closed stdout (`amap … | head`) must end the program quietly, not kill it with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        if VersionText.isRequested(Array(CommandLine.arguments.dropFirst())) {
            Terminal.standardOutput(VersionText.full())
            return  // exit status 0 (ExitStatus.completed)
        }
        do {
            var command = try command(for: Array(CommandLine.arguments.dropFirst()))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
