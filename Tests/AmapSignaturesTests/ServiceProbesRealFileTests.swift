import AmapSignatures
import Foundation
import Testing

/// Loads the nmap-service-probes file the system's nmap-common package installs, read at run time (never copied).
@Suite struct ServiceProbesRealFileTests {
    static let path = "/usr/share/nmap/nmap-service-probes"

    /// The share of match/softmatch lines that must load and compile.
    static let requiredSignatureShare = 0.995

    /// Counts the directives in the file with a plain line scan, independent of the loader.
    static func directiveCounts(_ bytes: [UInt8]) -> (probes: Int, matches: Int) {
        var probes = 0
        var matches = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.starts(with: Array("Probe ".utf8)) { probes += 1 }
            if line.starts(with: Array("match ".utf8)) || line.starts(with: Array("softmatch ".utf8)) { matches += 1 }
        }
        return (probes, matches)
    }

    @Test func installedFileLoads() throws {
        let result: LoadResult
        let start = ContinuousClock.now
        do {
            result = try ServiceProbesLoader.load(path: Self.path)
        } catch {
            Issue.record("""
                \(error) — install the nmap-common package (apt-get install nmap-common); \
                this test needs the real nmap-service-probes file
                """)
            return
        }
        // A figure, not an assertion: debug builds and busy CI machines vary too much.
        print("nmap-service-probes: loaded and compiled in \(ContinuousClock.now - start)")
        guard let bytes = Self.readAll(Self.path) else {
            Issue.record("cannot re-read \(Self.path)")
            return
        }
        let expected = Self.directiveCounts(bytes)
        let database = result.database
        let loadedSignatures = database.probes.reduce(0) { $0 + $1.signatures.count }
        for diagnostic in result.diagnostics { print("nmap-service-probes: \(diagnostic)") }
        #expect(database.probes.count == expected.probes, "every Probe line must load")
        let share = Double(loadedSignatures) / Double(max(expected.matches, 1))
        print("nmap-service-probes: \(database.probes.count) probes, \(loadedSignatures) of \(expected.matches) "
            + "match lines loaded (\(share * 100) %)")
        #expect(share >= Self.requiredSignatureShare)
        // nmap accepts every shipped line, so PCRE2_INFO_MATCHEMPTY (the loader's empty-match test) must reject
        // none of them; a rejection here would mean the test is stricter than nmap's.
        #expect(!result.errors.contains { $0.message.contains("empty response") })
        #expect(database.nullProbe != nil)
        #expect(!database.excludedTCPPorts.isEmpty)
        // Every fallback name resolves to a loaded probe.
        let names = Set(database.probes.map(\.name))
        for probe in database.probes {
            for name in probe.fallbackNames { #expect(names.contains(name), "\(probe.name) -> \(name)") }
        }
    }

    static func readAll(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }
}
