// Scans the targets and ports given on the command line with AmapKit and prints one JSON Lines record per port,
// the documented record `amap -oJ -` writes (docs/json-lines.md).
//
//     swift run ScanExample 127.0.0.1 22,80,443
//     swift run ScanExample 127.0.0.1 ::1 T:22,U:53 | jq -r '[.port, .proto, .state, .service] | @tsv'
//
// Point it only at machines you may scan.
import AmapKit
import Foundation

@main
struct ScanExample {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 2, let ports = arguments.last else {
            print("usage: ScanExample TARGET [TARGET...] PORTS   (e.g. 127.0.0.1 22,80,8000-8010)")
            exit(2)
        }
        do {
            // The library sizes its window from the open-file limit and never changes it; raising it is the
            // program's choice, made here as the amap command makes it.
            OpenFileLimit.raiseSoftLimitToHardLimit()
            // The built-in database and the amap command's defaults (adaptive timing, automatic window).
            let scanner = try AmapScanner()
            let results = try await scanner.results(targets: Array(arguments.dropLast()), ports: ports)
            for await result in results {
                // The same record, key for key, as `amap -oJ -` writes for this port.
                print(JSONLinesRecord.line(for: result, timestamp: Date()), terminator: "")
            }
        } catch {
            print("ScanExample: \(error)")
            exit(1)
        }
    }
}
