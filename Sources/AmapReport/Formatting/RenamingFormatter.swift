import AmapModel
import Foundation

/// Wraps a formatter and renames services before it sees them (`--names amap`: the built-in database's
/// `domain` printed as amap's `dns`). Names without an entry pass unchanged.
public struct RenamingFormatter: ReportFormatter {
    private var base: any ReportFormatter
    private let names: [String: String]

    /// Wraps `base`, renaming services by `names` (service → printed name).
    public init(_ base: any ReportFormatter, names: [String: String]) {
        self.base = base
        self.names = names
    }

    /// See ``ReportFormatter/header(startedAt:)``.
    public mutating func header(startedAt date: Date) -> String { base.header(startedAt: date) }

    /// See ``ReportFormatter/format(_:)``.
    public mutating func format(_ event: ScanEvent) -> String {
        switch event {
        case .identified(let endpoint, let identification, let response, let probe, let overTLS):
            return base.format(.identified(endpoint, renamed(identification), response: response, probe: probe,
                                           overTLS: overTLS))
        case .finished(var result):
            result.identifications = result.identifications.map(renamed)
            return base.format(.finished(result))
        default:
            return base.format(event)
        }
    }

    /// See ``ReportFormatter/footer(finishedAt:)``.
    public mutating func footer(finishedAt date: Date) -> String { base.footer(finishedAt: date) }

    private func renamed(_ identification: Identification) -> Identification {
        var copy = identification
        // An RPC-pass hit takes amap's own form, rpc-PROGRAM-vHIGHEST (its captures are the version range).
        if identification.evidence.probeName == Evidence.rpcPassProbeName, !identification.service.hasPrefix("rpc-"),
            let highest = identification.evidence.captures.last
        {
            copy.service = "rpc-\(identification.service)-v\(highest)"
            copy.version = VersionInfo()
        } else if let name = names[identification.service] {
            copy.service = name
        }
        return copy
    }
}
