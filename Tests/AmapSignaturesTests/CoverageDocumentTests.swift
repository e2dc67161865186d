import AmapModel
import AmapSignatures
import Foundation
import Testing

/// `docs/coverage.md` is generated from the built-in database and its vectors; this test fails when the committed
/// document is out of date. Regenerate it with `AMAP_WRITE_COVERAGE=1 swift test --filter CoverageDocumentTests`.
@Suite struct CoverageDocumentTests {
    static let documentPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/coverage.md")

    struct Row: Comparable {
        var service: String
        var transport: Transport
        var probes: Set<String> = []
        var signatures = 0
        var extractsVersion = false
        var extractsProduct = false
        var captures = 0
        var heldOut = 0
        var specs = 0
        var defensive = 0

        static func < (left: Row, right: Row) -> Bool {
            (left.transport.rawValue, left.service) < (right.transport.rawValue, right.service)
        }
    }

    static func document() throws -> String {
        let database = try BuiltinDatabase.load().database
        let matcher = NmapMatcher(database: database)
        var rows: [String: Row] = [:]
        var heldOutSignatures: Set<AmapModel.SourceLocation> = []
        func key(_ service: String, _ transport: Transport) -> String { "\(transport)/\(service)" }
        for probe in database.probes {
            for signature in probe.signatures {
                var row = rows[key(signature.service, probe.transport)]
                    ?? Row(service: signature.service, transport: probe.transport)
                row.probes.insert(probe.name)
                row.signatures += 1
                row.extractsVersion = row.extractsVersion || signature.templates.version != nil
                row.extractsProduct = row.extractsProduct || signature.templates.product != nil
                rows[key(signature.service, probe.transport)] = row
            }
        }
        for vector in try VectorCorpus.load() {
            guard let service = vector.expectedService,
                let probe = database.probe(named: vector.probe, transport: vector.transport)
                    ?? (vector.probe == "NULL" ? NmapProbePlanner.syntheticNull : nil),
                let first = matcher.identify(vector.response, probe: probe, transport: vector.transport,
                                             tunnelled: false).first,
                var row = rows[key(service, vector.transport)]
            else { continue }
            switch vector.kind {
            case .capture: row.captures += 1
            case .heldOut:
                row.heldOut += 1
                heldOutSignatures.insert(first.evidence.signature)
            case .spec: row.specs += 1
            }
            if vector.isDefensive { row.defensive += 1 }
            rows[key(service, vector.transport)] = row
        }
        let sorted = rows.values.sorted()
        let tcp = Set(sorted.filter { $0.transport == .tcp }.map(\.service)).count
        let udp = Set(sorted.filter { $0.transport == .udp }.map(\.service)).count
        let services = Set(sorted.map(\.service)).count
        let withDefensive = Set(sorted.filter { $0.defensive > 0 }.map(\.service)).count
        var text = """
            # Built-in database coverage

            Generated from `Sources/AmapSignatures/Resources/signatures` and the test vectors in
            `Tests/AmapSignaturesTests/Fixtures/vectors` by `CoverageDocumentTests`; do not edit by hand.

            **\(services) services (\(tcp) over TCP, \(udp) over UDP); \(database.probes.count) probes, \
            \(database.signatureCount) signatures; \(sorted.reduce(0) { $0 + $1.captures }) vectors captured from real \
            servers, \(sorted.reduce(0) { $0 + $1.heldOut }) captured from servers the matching signatures were not \
            written from (held out; \(heldOutSignatures.count) signatures hold on them), \
            \(sorted.reduce(0) { $0 + $1.specs }) built from specifications; \(sorted.reduce(0) { $0 + $1.defensive }) \
            vectors of servers in a defensive state (refusing the client), for \(withDefensive) services.**

            Vectors: *capture* from a real server here, *held-out* captured from a server the matching line was not
            written from (another implementation, or the specification before the capture), *spec* built byte for byte
            from the specification; *defensive* counts the vectors
            (of any kind) of a server that refuses the client (connection limits, blacklists, protected modes).

            | service | transport | triggers | signatures | product | version | vectors (capture / held-out / spec) | defensive |
            |---|---|---|---|---|---|---|---|

            """
        for row in sorted {
            text += "| \(row.service) | \(row.transport) | \(row.probes.sorted().joined(separator: ", ")) | "
                + "\(row.signatures) | \(row.extractsProduct ? "yes" : "-") | \(row.extractsVersion ? "yes" : "-") | "
                + "\(row.captures) / \(row.heldOut) / \(row.specs) | \(row.defensive) |\n"
        }
        return text
    }

    @Test func committedCoverageDocumentIsCurrent() throws {
        let generated = try Self.document()
        if ProcessInfo.processInfo.environment["AMAP_WRITE_COVERAGE"] == "1" {
            try generated.write(to: Self.documentPath, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.documentPath, encoding: .utf8)
        #expect(committed == generated, "docs/coverage.md is stale: AMAP_WRITE_COVERAGE=1 swift test --filter CoverageDocumentTests")
    }
}
