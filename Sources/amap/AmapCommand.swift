import ArgumentParser
import Foundation

/// The `amap` command: scanning with amap 5.4's options at the top level, plus subcommands of our own.
@main
struct AmapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amap",
        abstract: "Application protocol mapper: names the service behind TCP and UDP ports.",
        usage: """
            amap [options] TARGET PORT [PORT ...] [TARGET PORT ...]
            amap [options] -i FILE
            amap [options] -- db 22           (a host named like a subcommand: db, learn, help)
            amap db check [options]
            amap learn [options] TARGET PORT
            amap help [SUBCOMMAND]
            """,
        discussion: """
            Options come first, as amap's do; a target is a host name, an address, a range (127.0.0.1-5) or a CIDR \
            block, and the ports after it apply to it (N, A-B, lists, T:/U: prefixes). Everything after `--` is a \
            target or a port, so a host called db, learn or help is written `amap -- db 22`.
            """,
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
        // subcommand's name in first position is dispatched by hand, and so is `help [SUBCOMMAND]`.
        if arguments.first == helpCommandName {
            let rest = Array(arguments.dropFirst())
            guard let name = rest.first else { throw CleanExit.helpRequest(self) }
            guard let subcommand = subcommand(named: name) else {
                throw ValidationError("no subcommand '\(name)': the subcommands are "
                    + configuration.subcommands.map { $0._commandName }.joined(separator: ", "))
            }
            // `amap help db check` asks for the nested subcommand's help.
            if rest.count > 1,
                let nested = subcommand.configuration.subcommands.first(where: { $0._commandName == rest[1] })
            {
                throw CleanExit.helpRequest(nested)
            }
            throw CleanExit.helpRequest(subcommand)
        }
        if let first = arguments.first, let subcommand = subcommand(named: first) {
            let rest = Array(arguments.dropFirst())
            // A subcommand without arguments shows its own help, not a missing-argument error.
            if rest.isEmpty { throw CleanExit.helpRequest(subcommand) }
            return try subcommand.parseAsRoot(rest)
        }
        return try parseAsRoot(arguments)
    }

    /// The word that asks for help: `amap help [SUBCOMMAND]`.
    static let helpCommandName = "help"

    private static func subcommand(named name: String) -> ParsableCommand.Type? {
        configuration.subcommands.first { $0._commandName == name }
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
        // swift-argument-parser's scripts, with the fixes a command with targets and subcommands needs.
        if let shell = CompletionScript.requestedShell(Array(CommandLine.arguments.dropFirst())),
            let script = CompletionScript.script(for: shell)
        {
            Terminal.standardOutput(script)
            return
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
