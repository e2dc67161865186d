import AmapModel
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import AmapReport

/// One `ScanStatus` decides every output's words: JSON's `status`, the XML `reason`, `-m`'s status column and the
/// grepable state. Running out of descriptors is `unknown` everywhere, never `filtered`.
@Suite struct StatusTaxonomyTests {
    /// (result, JSON status, XML state, XML reason, -m column).
    private static let cases: [(PortResult, String, String, String, String)] = [
        (PortResult(endpoint: Fixture.tcp(1), state: .open), "success", "open", "syn-ack", "open"),
        (PortResult(endpoint: Fixture.tcp(2), state: .open, status: .ioTimeout), "io-timeout", "open", "syn-ack",
         "open"),
        (PortResult(endpoint: Fixture.tcp(3), state: .closed), "connection-refused", "closed", "conn-refused",
         "closed"),
        (PortResult(endpoint: Fixture.tcp(4), state: .filtered), "connection-timeout", "filtered", "no-response",
         "timeout"),
        (PortResult(endpoint: Fixture.tcp(5), state: .filtered, status: .unknownError), "unknown-error", "filtered",
         "unknown-error", "timeout"),
        (PortResult(endpoint: Fixture.tcp(6), state: .unknown, status: .localResourceError), "local-resource-error",
         "unknown", "local-resource-error", "local-resource-error"),
        (PortResult(endpoint: Fixture.udp(7), state: .openFiltered), "io-timeout", "open|filtered", "no-response",
         "open or filtered"),
        (PortResult(endpoint: Fixture.tcp(8), state: .open, status: .protocolError), "protocol-error", "open",
         "syn-ack", "open"),
    ]

    @Test func everyOutputSaysTheSameThing() throws {
        let results = Self.cases.map(\.0)
        let xml = Fixture.run(
            NmapXMLFormatter(run: NmapRunInfo(arguments: "amap", includesClosedPorts: true), timeZone: Fixture.utc),
            results.map(ScanEvent.finished))
        let document = try XMLDocument(xmlString: xml, options: [])
        let machine = Fixture.lines(Fixture.run(
            AmapMachineFormatter(unidentifiedPlacement: .streaming, timeZone: Fixture.utc),
            results.map(ScanEvent.finished)))
        let grepable = Fixture.lines(Fixture.run(
            NmapGrepableFormatter(run: NmapRunInfo(arguments: "amap", includesClosedPorts: true),
                                  timeZone: Fixture.utc),
            results.map(ScanEvent.finished)))
        for (result, status, state, reason, column) in Self.cases {
            let port = result.endpoint.port
            let json = try JSONSerialization.jsonObject(with: Data(JSONLinesRecord.line(for: result).utf8))
            let object = try #require(json as? [String: Any])
            #expect(object["status"] as? String == status, "port \(port)")
            #expect(object["state"] as? String == state, "port \(port)")
            let element = try #require(
                try document.nodes(forXPath: "//port[@portid='\(port)']/state").first as? XMLElement)
            #expect(element.attribute(forName: "state")?.stringValue == state, "port \(port)")
            #expect(element.attribute(forName: "reason")?.stringValue == reason, "port \(port)")
            let line = try #require(machine.first { $0.hasPrefix("127.0.0.1:\(port):") }, "port \(port)")
            #expect(line.split(separator: ":", omittingEmptySubsequences: false)[3] == Substring(column),
                    "\(line)")
            let host = try #require(grepable.first { $0.contains("Ports: \(port)/") }, "port \(port)")
            #expect(host.contains("Ports: \(port)/\(state)/"), "\(host)")
        }
    }

    @Test func aPortALocalLimitLeftUnscannedIsWrittenEvenWithoutClosedPorts() throws {
        let result = PortResult(endpoint: Fixture.tcp(9), state: .unknown, status: .localResourceError)
        let grepable = Fixture.run(NmapGrepableFormatter(run: NmapRunInfo(arguments: "amap"), timeZone: Fixture.utc),
                                   [.finished(result)])
        #expect(grepable.contains("Ports: 9/unknown/tcp"))
        let xml = Fixture.run(NmapXMLFormatter(run: NmapRunInfo(arguments: "amap"), timeZone: Fixture.utc),
                              [.finished(result)])
        #expect(xml.contains("<state state=\"unknown\" reason=\"local-resource-error\""))
    }

    @Test func theDefaultStatusFollowsTheState() {
        #expect(PortResult(endpoint: Fixture.tcp(1), state: .closed).status == .connectionRefused)
        #expect(PortResult(endpoint: Fixture.tcp(1), state: .unknown).status == .localResourceError)
        #expect(Set(ScanStatus.allCases.map(\.rawValue)) == [
            "success", "connection-refused", "connection-timeout", "io-timeout", "protocol-error",
            "local-resource-error", "unknown-error",
        ])
    }
}
