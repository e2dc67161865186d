import AmapModel
import AmapSignatures
import Foundation
import Testing

/// The literal-prefix prefilter: what it reads off pattern sources, and a differential test showing that
/// `NmapMatcher` with it gives exactly the answers of `NmapMatcher` without it, on nmap's installed database and the
/// captured daemon responses.
@Suite struct PrefilterTests {
    private func prefix(_ source: String, _ options: PatternOptions = []) -> [UInt8]? {
        LiteralPrefix.parse(Array(source.utf8), options: options)?.bytes
    }

    @Test func readsLiteralsAfterTheAnchor() {
        #expect(prefix("^SSH-([\\d.]+)-") == Array("SSH-".utf8))
        #expect(prefix("^HTTP/1\\.[01] ") == Array("HTTP/1.".utf8))
        #expect(prefix("^\\x16\\x03[\\x00-\\x03]") == [0x16, 0x03])
        #expect(prefix("^\\0\\0\\0\\x0a") == [0, 0, 0, 0x0A])
        #expect(prefix("^220 \\r\\n") == Array("220 \r\n".utf8))
        #expect(prefix("^\\x{41}B") == Array("AB".utf8))
    }

    @Test func dropsOptionalLiterals() {
        #expect(prefix("^ab?c") == Array("a".utf8))
        #expect(prefix("^a*b") == nil)
        #expect(prefix("^ab{2}") == Array("a".utf8))
        #expect(prefix("^ab+c") == Array("ab".utf8))
    }

    @Test func refusesWhatItCannotReadSafely() {
        #expect(prefix("SSH-") == nil, "not anchored")
        #expect(prefix("^SSH-", .multiline) == nil, "^ also matches after line breaks")
        #expect(prefix("^abc|^xyz") == nil, "top-level alternation")
        #expect(prefix("^(?i)abc") == nil)
        #expect(prefix("^\\d+") == nil)
        #expect(prefix("^\\Qa|b\\E") == nil)
        // Alternation inside a group or a class does not count.
        #expect(prefix("^ab(c|d)") == Array("ab".utf8))
        #expect(prefix("^ab[|]") == Array("ab".utf8))
        #expect(prefix("^ab[]|]x") == Array("ab".utf8))
        #expect(prefix("^ab[[:alpha:]|]x") == Array("ab".utf8))
    }

    @Test func caselessPrefixesCompareWithoutCase() throws {
        let prefix = try #require(LiteralPrefix.parse(Array("^Server: ".utf8), options: .caseless))
        #expect(prefix.admits(Array("SERVER: x".utf8)))
        #expect(prefix.admits(Array("server: x".utf8)))
        #expect(!prefix.admits(Array("Servir: x".utf8)))
        #expect(!prefix.admits(Array("Serv".utf8)))
    }

    /// Every captured response, with the probes it is tried against: NULL, GetRequest, GenericLines and every probe
    /// of the database whose payload is the one the capture sent.
    static func workload(_ database: SignatureDatabase) throws -> [(response: [UInt8], probe: Probe)] {
        var work: [(response: [UInt8], probe: Probe)] = []
        for row in try manifest() {
            let response = try NmapDatabaseFixtureTests.fixture(row.file)
            guard !response.isEmpty else { continue }
            var probes = database.probes.filter { $0.transport == row.transport && $0.payload == row.payload }
            if row.transport == .tcp {
                for name in ["NULL", "GetRequest", "GenericLines"] {
                    if let probe = database.probe(named: name, transport: .tcp) { probes.append(probe) }
                }
            } else if let probe = database.probes.first(where: { $0.transport == .udp }) {
                probes.append(probe)
            }
            for probe in probes { work.append((response, probe)) }
        }
        return work
    }

    static func manifest() throws -> [(file: String, transport: Transport, payload: [UInt8])] {
        let text = String(decoding: try NmapDatabaseFixtureTests.fixture("manifest.tsv"), as: UTF8.self)
        var rows: [(file: String, transport: Transport, payload: [UInt8])] = []
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count > 4 else { continue }
            var payload: [UInt8] = []
            var hex = Substring(cells[3])
            while hex.count >= 2, let byte = UInt8(hex.prefix(2), radix: 16) {
                payload.append(byte)
                hex = hex.dropFirst(2)
            }
            rows.append((cells[0], cells[4] == "udp" ? .udp : .tcp, payload))
        }
        return rows
    }

    @Test func prefilterChangesNoAnswerOnNmapsDatabase() throws {
        let database = try NmapDatabaseFixtureTests.database.get()
        let filtered = NmapMatcher(database: database)
        let reference = NmapMatcher(database: database, prefilter: false)
        let work = try Self.workload(database)
        #expect(work.count > 150)
        var identified = 0
        for (response, probe) in work {
            let fast = filtered.identify(response, probe: probe, transport: probe.transport, tunnelled: false)
            let slow = reference.identify(response, probe: probe, transport: probe.transport, tunnelled: false)
            #expect(fast == slow, "\(probe.name) on \(response.prefix(24))")
            if !slow.isEmpty { identified += 1 }
            let fastCross = filtered.identifyAcrossProbes(
                response, probe: probe, transport: probe.transport, tunnelled: false)
            let slowCross = reference.identifyAcrossProbes(
                response, probe: probe, transport: probe.transport, tunnelled: false)
            #expect(fastCross == slowCross, "cross-probe: \(probe.name) on \(response.prefix(24))")
        }
        // The comparison is not vacuous: most captured answers are identified.
        #expect(identified > work.count / 3)
    }

    @Test func crossProbeHitsNameTheirProbeAndNeverTheOwnChain() throws {
        let database = try NmapDatabaseFixtureTests.database.get()
        let matcher = NmapMatcher(database: database)
        let banner = Array("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n".utf8)
        let getRequest = try #require(database.probe(named: "GetRequest", transport: .tcp))
        // GetRequest's chain ends with NULL's lines, which name ssh: the cross-probe pass must skip them.
        #expect(matcher.identify(banner, probe: getRequest, transport: .tcp, tunnelled: false).first?.service == "ssh")
        for hit in matcher.identifyAcrossProbes(banner, probe: getRequest, transport: .tcp, tunnelled: false) {
            #expect(hit.evidence.matchedViaProbe != nil)
            #expect(hit.evidence.matchedViaProbe != "NULL" && hit.evidence.matchedViaProbe != "GetRequest")
        }
    }

    /// Matcher throughput on the captured workload with and without the prefilter; prints the figures (no timing
    /// assertion: a loaded machine must not fail the suite).
    @Test func throughputFigures() throws {
        let database = try NmapDatabaseFixtureTests.database.get()
        let work = try Self.workload(database)
        for (label, matcher) in [("prefilter", NmapMatcher(database: database)),
                                 ("no prefilter", NmapMatcher(database: database, prefilter: false))] {
            let clock = ContinuousClock()
            var hits = 0
            let own = clock.measure {
                for (response, probe) in work {
                    hits += matcher.identify(response, probe: probe, transport: probe.transport, tunnelled: false).count
                }
            }
            let cross = clock.measure {
                for (response, probe) in work {
                    hits += matcher.identifyAcrossProbes(
                        response, probe: probe, transport: probe.transport, tunnelled: false).count
                }
            }
            print("matcher throughput (\(label)): \(work.count) responses, own chain \(own), all lines \(cross), "
                  + "\(hits) hits")
            #expect(hits > 0)
        }
    }
}
