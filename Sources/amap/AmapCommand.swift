import AmapSignatures
import ArgumentParser

/// The `amap` command: amap 5.4's options plus long options of our own.
@main
struct AmapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amap",
        abstract: "Application protocol mapper: names the service behind TCP and UDP ports."
    )

    func run() throws {
        print("amap: scanning is not implemented yet")
    }
}
