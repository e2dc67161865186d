import AmapModel
import Testing

@testable import AmapReport

@Suite struct AmapMachineFormatterTests {
    private func machine(
        _ mode: AmapReportMode = .mapping,
        placement: AmapMachineFormatter.UnidentifiedPlacement = .atEnd
    ) -> AmapMachineFormatter {
        AmapMachineFormatter(mode: mode, unidentifiedPlacement: placement, timeZone: Fixture.utc)
    }

    private var mappingEvents: [ScanEvent] {
        let ssh = Fixture.tcp(18022)
        let mysql = Fixture.tcp(13306)
        let odd = Fixture.tcp(18030)
        return [
            .identified(ssh, Fixture.identification("ssh-openssh"), response: Fixture.bytes("SSH-2.0-X: y\r\n"),
                        probe: "NULL", overTLS: false),
            .unrecognized(odd, response: [0x01, 0x02], probe: "http", overTLS: true),
            .finished(PortResult(endpoint: odd, state: .open, banner: Fixture.bytes("ignored"))),
            .identified(mysql, Fixture.identification("mysql"), response: [0x4A, 0x00, 0x0A] + Fixture.bytes("8.0"),
                        probe: "NULL", overTLS: false),
            .identified(mysql, Fixture.identification("mysql-secure"), response: [0x4A], probe: "NULL",
                        overTLS: true),
            .finished(PortResult(endpoint: Fixture.tcp(18001), state: .closed)),
            .finished(PortResult(endpoint: Fixture.tcp(18002), state: .filtered)),
        ]
    }

    @Test func mappingLogWithUnidentifiedAtTheEnd() {
        #expect(Fixture.lines(Fixture.run(machine(), mappingEvents)) == [
            "# amap v5.4-swift (swift-amap) started at 2026-11-26 13:55:49 - MAPPING mode",
            "# IP_ADDRESS:PORT:PROTOCOL:PORT_STATUS:SSL:IDENTIFICATION:PRINTABLE_BANNER:FULL_BANNER",
            "127.0.0.1:18022:tcp:open::ssh-openssh:SSH-2.0-X y\\r\\n:\"SSH-2.0-X: y\\r\\n\"",
            "127.0.0.1:13306:tcp:open::mysql:J\\n8.0:0x4a000a382e30",
            "127.0.0.1:13306:tcp:open:SSL:mysql-secure:J:\"J\"",
            "127.0.0.1:18030:tcp:open:SSL:unidentified::0x0102",
            "127.0.0.1:18001:tcp:closed::unidentified::",
            "127.0.0.1:18002:tcp:timeout::unidentified::",
            "# Unidentified ports: 3.",
            "# amap v5.4-swift finished at 2026-11-26 13:56:13",
        ])
    }

    @Test func streamingPlacementWritesUnidentifiedLinesWhenThePortFinishes() {
        let lines = Fixture.lines(Fixture.run(machine(placement: .streaming), mappingEvents))
        #expect(lines[3] == "127.0.0.1:18030:tcp:open:SSL:unidentified::0x0102")
        #expect(lines[4] == "127.0.0.1:13306:tcp:open::mysql:J\\n8.0:0x4a000a382e30")
        #expect(lines.count == 10)
    }

    @Test func everyDataLineHasEightFieldsWhenSplitAtMostSevenTimes() {
        let text = Fixture.run(machine(), mappingEvents)
        for line in Fixture.lines(text) where !line.hasPrefix("#") {
            let fields = line.split(separator: ":", maxSplits: 7, omittingEmptySubsequences: false)
            #expect(fields.count == 8, "\(line)")
            #expect(["tcp", "udp"].contains(String(fields[2])))
        }
    }

    @Test func noUnidentifiedSaysNone() {
        let events: [ScanEvent] = [
            .finished(PortResult(
                endpoint: Fixture.tcp(22), state: .open, identifications: [Fixture.identification("ssh")]))
        ]
        #expect(Fixture.lines(Fixture.run(machine(), events))[2] == "# Unidentified ports: none.")
    }

    @Test func ipv6UnquotedBracketsAndUnidentifiedBannerFallback() {
        let endpoint = Fixture.udp(5353, "::1")
        let events: [ScanEvent] = [
            .finished(PortResult(endpoint: endpoint, state: .openFiltered, banner: Fixture.bytes("hi")))
        ]
        #expect(Fixture.lines(Fixture.run(machine(), events))[2]
            == "[::1]:5353:udp:open or filtered::unidentified:hi:\"hi\"")
    }

    @Test func bannerAndPortscanModeLines() {
        var banner = machine(.banner)
        let header = banner.header(startedAt: Fixture.start)
        #expect(header.hasSuffix("- BANNER mode\n" + AmapMachineFormatter.columnsComment + "\n"))
        #expect(banner.format(.banner(Fixture.tcp(21), Fixture.bytes("220 x\r\n")))
            == "127.0.0.1:21:tcp:open::unidentified:220 x\\r\\n:\"220 x\\r\\n\"\n")
        #expect(banner.format(.finished(PortResult(endpoint: Fixture.tcp(21), state: .open))) == "")
        #expect(banner.footer(finishedAt: Fixture.finish) == "# amap v5.4-swift finished at 2026-11-26 13:56:13\n")

        var portscan = machine(.portscan)
        #expect(portscan.format(.portState(Fixture.tcp(80), .open)) == "127.0.0.1:80:tcp:open::unidentified::\n")
        #expect(portscan.format(.portState(Fixture.udp(53), .openFiltered))
            == "127.0.0.1:53:udp:open or filtered::unidentified::\n")
        #expect(portscan.format(.portState(Fixture.tcp(81), .closed)) == "")
    }

    @Test func hostileIDCannotShiftFields() {
        var formatter = machine()
        let line = formatter.format(.identified(
            Fixture.tcp(1), Fixture.identification("a:b\u{1B}"), response: [], probe: "x", overTLS: false))
        #expect(line == "127.0.0.1:1:tcp:open::a\\x3ab\\x1b::\n")
    }

    @Test func quietWritesNoUnidentifiedLines() {
        let formatter = AmapMachineFormatter(listsUnidentified: false, timeZone: Fixture.utc)
        let lines = Fixture.lines(Fixture.run(formatter, mappingEvents))
        #expect(!lines.contains { $0.contains(":unidentified:") || $0.hasPrefix("# Unidentified") })
        #expect(lines.count == 6)
    }
}
