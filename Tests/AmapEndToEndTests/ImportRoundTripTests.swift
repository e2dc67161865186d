import AmapTestSupport
import Foundation
import Testing

/// `-i` through the binary on what amap and other scanners write: amap's own `-oJ` and `-oX` read back scan the
/// same endpoints; a bare address list takes its ports from the command line; masscan's `-oG` is read; an input
/// with nothing to scan exits 255 and says why; an XML cut short keeps its complete hosts with a warning.
///
/// Every scan is `-P` (connect only) on local ports, so each takes milliseconds.
@Suite("-i round trips", .timeLimit(.minutes(2)))
struct ImportRoundTripTests {
    /// `address:port/proto` of every record of a JSON Lines file.
    private func endpoints(_ path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return "\(object["address"] ?? "?"):\(object["port"] ?? "?")/\(object["proto"] ?? "?")"
        })
    }

    @Test("amap's own -oJ and -oX, a bare list with command-line ports, masscan -oG, nothing to scan, an XML cut short")
    func roundTrips() async throws {
        let scratch = try Scratch("round-trip")
        defer { scratch.remove() }
        let first = try LoopbackTCPServer(greeting: Array("SSH-2.0-OpenSSH_9.2p1\r\n".utf8))
        defer { first.stop() }
        let second = try LoopbackTCPServer()
        defer { second.stop() }
        let closed = try ClosedPort()
        defer { closed.release() }
        let open: Set = ["127.0.0.1:\(first.port)/tcp", "127.0.0.1:\(second.port)/tcp"]

        let json = scratch.file("a.jsonl").path
        let xml = scratch.file("a.xml").path
        let scan = try await AmapExecutable.run(
            ["-P", "-oJ", json, "-oX", xml, "127.0.0.1", "\(first.port),\(second.port),\(closed.port)"])
        #expect(scan.status == 0, "\(scan)")
        #expect(try endpoints(json).count == 3)

        for (name, input) in [("json", json), ("xml", xml)] {
            let again = scratch.file("from-\(name).jsonl").path
            let run = try await AmapExecutable.run(["-P", "-oJ", again, "-i", input])
            #expect(run.status == 0, "\(run)")
            #expect(try endpoints(again) == open, "\(name): \(run)")
        }

        let bare = try scratch.write("bare.txt", "127.0.0.1\n")
        let fromBare = scratch.file("from-bare.jsonl").path
        let bareRun = try await AmapExecutable.run(
            ["-P", "-oJ", fromBare, "-i", bare.path, "\(first.port)", "\(closed.port)"])
        #expect(bareRun.status == 0, "\(bareRun)")
        #expect(try endpoints(fromBare) == ["127.0.0.1:\(first.port)/tcp", "127.0.0.1:\(closed.port)/tcp"])

        let masscan = try scratch.write("masscan.gnmap", """
            # Masscan 1.3.2 scan initiated Thu Dec  3 12:00:00 2026
            # Ports scanned: TCP(1;\(first.port)-\(first.port)) UDP(0;) SCTP(0;) PROTOCOLS(0;)
            Timestamp: 1796300000\tHost: 127.0.0.1 ()\tPorts: \(first.port)/open/tcp////
            # Masscan done at Thu Dec  3 12:00:01 2026

            """)
        let fromMasscan = scratch.file("from-masscan.jsonl").path
        let masscanRun = try await AmapExecutable.run(["-P", "-oJ", fromMasscan, "-i", masscan.path])
        #expect(masscanRun.status == 0, "\(masscanRun)")
        #expect(try endpoints(fromMasscan) == ["127.0.0.1:\(first.port)/tcp"])

        let closedOnly = try scratch.write("closed.gnmap", "Host: 127.0.0.1 ()\tPorts: \(closed.port)/closed/tcp//\n")
        let nothing = try await AmapExecutable.run(["-P", "-i", closedOnly.path])
        #expect(nothing.status == 255, "\(nothing)")
        #expect(nothing.stderr.contains("nothing to scan: it lists no open port"), "\(nothing)")

        let whole = try String(contentsOfFile: xml, encoding: .utf8)
        let cut = try #require(whole.range(of: "<runstats>"))
        let truncated = try scratch.write("cut.xml", String(whole[..<cut.lowerBound]))
        let fromCut = scratch.file("from-cut.jsonl").path
        let cutRun = try await AmapExecutable.run(["-P", "-oJ", fromCut, "-i", truncated.path])
        #expect(cutRun.status == 0, "\(cutRun)")
        #expect(cutRun.stderr.contains("(cut short?); read the 1 complete host before it"), "\(cutRun)")
        #expect(try endpoints(fromCut) == open)
    }
}
