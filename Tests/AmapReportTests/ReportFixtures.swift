import AmapModel
import Foundation

@testable import AmapReport

/// Shared values for the report tests.
enum Fixture {
    /// 2026-11-26 13:55:49 UTC.
    static let start = Date(timeIntervalSince1970: 1_795_701_349)
    /// 2026-11-26 13:56:13 UTC.
    static let finish = Date(timeIntervalSince1970: 1_795_701_373)
    static let utc = TimeZone(secondsFromGMT: 0) ?? .current

    static func tcp(_ port: UInt16, _ address: String = "127.0.0.1") -> Endpoint {
        Endpoint(host: address, port: port, transport: .tcp)
    }

    static func udp(_ port: UInt16, _ address: String = "127.0.0.1") -> Endpoint {
        Endpoint(host: address, port: port, transport: .udp)
    }

    static func identification(
        _ service: String,
        version: VersionInfo = VersionInfo(),
        soft: Bool = false,
        tunnelled: Bool = false,
        probe: String = "NULL",
        line: Int = 12,
        via: String? = nil
    ) -> Identification {
        Identification(
            service: service,
            isSoft: soft,
            version: version,
            isTunnelled: tunnelled,
            evidence: Evidence(
                probeName: probe,
                signature: SourceLocation(file: "nmap-service-probes", line: line),
                matchedViaProbe: via
            )
        )
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs a whole report: header, events, footer.
    static func run<F: ReportFormatter>(_ formatter: F, _ events: [ScanEvent]) -> String {
        var formatter = formatter
        var text = formatter.header(startedAt: start)
        for event in events {
            text += formatter.format(event)
        }
        return text + formatter.footer(finishedAt: finish)
    }

    /// Splits on `\n`, dropping the empty piece after the final terminator.
    static func lines(_ text: String) -> [String] {
        var pieces = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if pieces.last == "" { pieces.removeLast() }
        return pieces
    }
}
