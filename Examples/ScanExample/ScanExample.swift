// Scans 127.0.0.1 on the ports given on the command line with AmapKit and prints one line per port.
//
//     swift run ScanExample 22 80 443
//
// Only the loopback address is scanned: this is an example, not a tool.
import AmapKit
import Foundation

@main
struct ScanExample {
    static func main() async {
        let ports = CommandLine.arguments.dropFirst()
        guard !ports.isEmpty else {
            print("usage: ScanExample PORT [PORT...]   (ports of 127.0.0.1, e.g. 22 80 8000-8010)")
            exit(2)
        }
        do {
            // As the amap command does: the library sizes its window from the open-file limit and never changes it.
            OpenFileLimit.raiseSoftLimitToHardLimit()
            let scanner = try AmapScanner()
            let results = try await scanner.results(targets: ["127.0.0.1"], ports: ports.joined(separator: ","))
            for await result in results {
                print(describe(result))
            }
        } catch {
            print("ScanExample: \(error)")
            exit(1)
        }
    }

    /// `127.0.0.1:22/tcp open ssh OpenSSH 9.2p1`.
    static func describe(_ result: PortResult) -> String {
        var line = "\(result.endpoint) \(result.state)"
        if let identification = result.primary {
            line += " \(identification.service)"
            if let product = identification.version.product { line += " \(product)" }
            if let version = identification.version.version { line += " \(version)" }
        } else if result.state == .open {
            line += " (unidentified)"
        }
        return line
    }
}
