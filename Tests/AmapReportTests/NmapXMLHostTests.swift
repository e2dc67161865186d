import AmapModel
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import AmapReport

/// One `<host>` per address, written when its last port finishes; nmap's `<extraports>` and real `<runstats>`.
@Suite struct NmapXMLHostTests {
    private let run = NmapRunInfo(arguments: "amap -oX x 127.0.0.1 127.0.0.2 22-23")

    private func open(_ port: UInt16, _ address: String = "127.0.0.1") -> ScanEvent {
        .finished(PortResult(endpoint: Fixture.tcp(port, address), state: .open,
                             identifications: [Fixture.identification("ssh")]))
    }

    private func finished(_ port: UInt16, _ state: PortState, _ address: String = "127.0.0.1") -> ScanEvent {
        .finished(PortResult(endpoint: Fixture.tcp(port, address), state: state))
    }

    private func root(_ text: String) throws -> XMLElement {
        try #require(try XMLDocument(xmlString: text, options: []).rootElement())
    }

    private func attribute(_ element: XMLElement?, _ name: String) -> String? {
        element?.attribute(forName: name)?.stringValue
    }

    @Test func interleavedAddressesBecomeOneHostEachWithAllTheirPortsInOrder() throws {
        let events = [open(23), open(22, "127.0.0.2"), open(22), finished(24, .closed, "127.0.0.2")]
        let text = Fixture.run(NmapXMLFormatter(run: run, timeZone: Fixture.utc), events)
        let hosts = try root(text).elements(forName: "host")
        #expect(hosts.map { attribute($0.elements(forName: "address").first, "addr") } == ["127.0.0.1", "127.0.0.2"])
        let ports = hosts.map { host in
            host.elements(forName: "ports").first?.elements(forName: "port").compactMap { attribute($0, "portid") }
        }
        #expect(ports == [["22", "23"], ["22", "24"]])
    }

    @Test func withAPlanAHostIsWrittenWhenItsLastPortFinishes() {
        let plan = NmapHostPlan(endpointCounts: ["127.0.0.1": 2, "127.0.0.2": 1])
        var formatter = NmapXMLFormatter(run: run, plan: plan, timeZone: Fixture.utc)
        _ = formatter.header(startedAt: Fixture.start)
        #expect(formatter.format(open(22)) == "")
        let second = formatter.format(open(22, "127.0.0.2"))
        #expect(second.hasPrefix("<host>") && second.contains("addr=\"127.0.0.2\""))
        let first = formatter.format(open(23))
        #expect(first.contains("portid=\"22\"") && first.contains("portid=\"23\""))
        let footer = formatter.footer(finishedAt: Fixture.finish)
        #expect(!footer.contains("<host>"))
        #expect(footer.contains("<hosts up=\"2\" down=\"0\" total=\"2\"/>"))
    }

    @Test func anInterruptedScanWritesTheHostsStillHeldAtTheFooter() {
        let plan = NmapHostPlan(endpointCounts: ["127.0.0.1": 3])
        var formatter = NmapXMLFormatter(run: run, plan: plan, timeZone: Fixture.utc)
        _ = formatter.header(startedAt: Fixture.start)
        #expect(formatter.format(open(22)) == "")
        let footer = formatter.footer(finishedAt: Fixture.finish)
        #expect(footer.contains("<host>") && footer.contains("portid=\"22\""))
    }

    @Test func moreThanTwentyFiveClosedPortsBecomeExtraportsAndFewerAreListed() throws {
        let many = [open(22)] + (1_000..<1_030).map { finished($0, .closed) } + [finished(2_000, .closed)]
        let text = Fixture.run(NmapXMLFormatter(run: run, timeZone: Fixture.utc), many)
        let ports = try #require(try root(text).elements(forName: "host").first?.elements(forName: "ports").first)
        let extra = try #require(ports.elements(forName: "extraports").first)
        #expect(attribute(extra, "state") == "closed")
        #expect(attribute(extra, "count") == "31")
        let reasons = extra.elements(forName: "extrareasons").first
        #expect(attribute(reasons, "reason") == "conn-refused")
        #expect(attribute(reasons, "proto") == "tcp")
        #expect(attribute(reasons, "ports") == "1000-1029,2000")
        #expect(ports.elements(forName: "port").compactMap { attribute($0, "portid") } == ["22"])

        let few = [open(22)] + (1_000..<1_025).map { finished($0, .closed) }
        let listed = Fixture.run(NmapXMLFormatter(run: run, timeZone: Fixture.utc), few)
        let fewPorts = try #require(try root(listed).elements(forName: "host").first?.elements(forName: "ports").first)
        #expect(fewPorts.elements(forName: "extraports").isEmpty)
        #expect(fewPorts.elements(forName: "port").count == 26)

        let all = NmapRunInfo(arguments: "", includesClosedPorts: true)
        let everything = Fixture.run(NmapXMLFormatter(run: all, timeZone: Fixture.utc), many)
        #expect(!everything.contains("<extraports"))
        #expect(everything.components(separatedBy: "<port ").count - 1 == 32)
    }

    @Test func runstatsCountHostsUpAndDown() throws {
        let events = [open(22), finished(22, .filtered, "127.0.0.2"), finished(23, .closed, "127.0.0.3")]
        let text = Fixture.run(NmapXMLFormatter(run: run, timeZone: Fixture.utc), events)
        let document = try root(text)
        // A host where nothing answered is down: counted, not written (nmap writes down hosts only when verbose).
        #expect(document.elements(forName: "host").count == 2)
        let stats = document.elements(forName: "runstats").first?.elements(forName: "hosts").first
        #expect(attribute(stats, "up") == "2")
        #expect(attribute(stats, "down") == "1")
        #expect(attribute(stats, "total") == "3")
        let finishedElement = document.elements(forName: "runstats").first?.elements(forName: "finished").first
        #expect(attribute(finishedElement, "summary")?.contains("3 IP addresses (2 hosts up)") == true)
    }

    @Test func planCountsByAddressAndGivesUpAboveItsLimit() {
        let endpoints = [Fixture.tcp(22), Fixture.tcp(23), Fixture.udp(53), Fixture.tcp(22, "::1")]
        let plan = NmapHostPlan(counting: endpoints, limit: 10)
        #expect(plan?.endpointCount(of: "127.0.0.1") == 3)
        #expect(plan?.endpointCount(of: "::1") == 1)
        #expect(plan?.endpointCount(of: "127.0.0.9") == nil)
        #expect(NmapHostPlan(counting: endpoints, limit: 3) == nil)
    }

    @Test func portRangesAreCompressedAsNmapWritesThem() {
        #expect(NmapPortRanges.text([80, 22, 23, 24, 24, 443, 444]) == "22-24,80,443-444")
        #expect(NmapPortRanges.text([]) == "")
    }
}
