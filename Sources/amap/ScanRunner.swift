import ArgumentParser

/// Scanning: the default subcommand, so `amap TARGET PORT…` works as in amap 5.4.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Identify the services on TARGET's PORTs (the default; amap 5.4's options).",
        shouldDisplay: false
    )

    @OptionGroup var options: ScanOptions

    func run() async throws {
        print("amap: scanning is not wired up yet")
    }
}
