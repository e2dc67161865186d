import AmapModel
import Testing

@testable import AmapReport

@Suite struct AmapHumanFormatterTests {
    private func terminal(_ options: AmapHumanOptions = AmapHumanOptions()) -> AmapHumanFormatter {
        AmapHumanFormatter(destination: .terminal, options: options, timeZone: Fixture.utc)
    }

    private func log(_ options: AmapHumanOptions = AmapHumanOptions()) -> AmapHumanFormatter {
        AmapHumanFormatter(destination: .log, options: options, timeZone: Fixture.utc)
    }

    @Test func mappingRunOnStdout() {
        let ssh = Fixture.tcp(18022)
        let events: [ScanEvent] = [
            .identified(ssh, Fixture.identification("ssh-openssh"), response: [], probe: "NULL", overTLS: false),
            .finished(PortResult(endpoint: ssh, state: .open, identifications: [Fixture.identification("ssh")])),
            .finished(PortResult(endpoint: Fixture.tcp(18001), state: .closed)),
        ]
        let text = Fixture.run(terminal(), events)
        #expect(Fixture.lines(text) == [
            "amap v5.4-swift (swift-amap) started at 2026-11-26 13:55:49 - APPLICATION MAPPING mode",
            "",
            "Protocol on 127.0.0.1:18022/tcp matches ssh-openssh",
            "",
            // A closed port is not an unidentified service (issue 12).
            "Unidentified ports: none.",
            "",
            "amap v5.4-swift finished at 2026-11-26 13:56:13",
        ])
    }

    @Test func matchLineWithTriggerOverSSLAndBanner() {
        var formatter = terminal(AmapHumanOptions(showsTrigger: true, appendsBanner: true))
        let line = formatter.format(.identified(
            Fixture.tcp(18445), Fixture.identification("http", tunnelled: true),
            response: Fixture.bytes("HTTP/1.1 200 OK\r\nServer: x\r\n"), probe: "http", overTLS: true))
        #expect(line == "Protocol on 127.0.0.1:18445/tcp over SSL (by trigger http) matches http"
            + " - banner: HTTP/1.1 200 OK\\r\\nServer x\\r\\n\n")
    }

    @Test func versionDetailFollowsTheIDAndPrecedesTheBanner() {
        var formatter = terminal(AmapHumanOptions(appendsBanner: true))
        let version = VersionInfo(product: "OpenSSH", version: "9.2p1 Debian 2", info: "protocol 2.0")
        let line = formatter.format(.identified(
            Fixture.tcp(22), Fixture.identification("ssh", version: version),
            response: Fixture.bytes("SSH-2.0-OpenSSH_9.2p1\r\n"), probe: "NULL", overTLS: false))
        #expect(line == "Protocol on 127.0.0.1:22/tcp matches ssh (OpenSSH 9.2p1 Debian 2; protocol 2.0)"
            + " - banner: SSH-2.0-OpenSSH_9.2p1\\r\\n\n")
        // amap consumers: the ID is the first token after "matches ".
        let afterMatches = line.split(separator: "matches ", maxSplits: 1).last ?? ""
        #expect(afterMatches.split(separator: " ").first == "ssh")
    }

    @Test func versionDetailCanBeTurnedOffAndIsEscaped() {
        let version = VersionInfo(product: "evil\u{1B}[2J - banner: x", version: nil, info: "i\r\n")
        var plain = terminal(AmapHumanOptions(showsVersionDetail: false))
        let event = ScanEvent.identified(
            Fixture.tcp(80), Fixture.identification("http", version: version), response: [], probe: "http",
            overTLS: false)
        #expect(plain.format(event) == "Protocol on 127.0.0.1:80/tcp matches http\n")
        var detailed = terminal()
        #expect(detailed.format(event)
            == "Protocol on 127.0.0.1:80/tcp matches http (evil\\x1b[2J - banner\\x3a x; i\\r\\n)\n")
    }

    @Test func unrecognizedBlockWithDumpAndWithoutDump() {
        let event = ScanEvent.unrecognized(Fixture.tcp(4899), response: Fixture.bytes("hi!\n"), probe: "http",
                                           overTLS: false)
        var dumping = terminal()
        #expect(Fixture.lines(dumping.format(event)) == [
            "Unrecognized response from 127.0.0.1:4899/tcp (by trigger http) received.",
            "Please send this output and the name of the application to the swift-amap issue tracker:",
            "0000:  6869 210a                                  [ hi!.             ]",
        ])
        var quiet = terminal(AmapHumanOptions(dumpsUnrecognized: false))
        #expect(quiet.format(event) == "Unrecognized response from 127.0.0.1:4899/tcp (by trigger http) received.\n")
    }

    @Test func dashDDumpsIdentifiedResponses() {
        var formatter = terminal(AmapHumanOptions(dumpsIdentified: true))
        let text = formatter.format(.identified(
            Fixture.tcp(21), Fixture.identification("ftp"), response: Fixture.bytes("220 ok\r\n"), probe: "NULL",
            overTLS: true))
        #expect(Fixture.lines(text) == [
            "Protocol on 127.0.0.1:21/tcp over SSL matches ftp",
            "Dump of identified response from 127.0.0.1:21/tcp over SSL (by trigger NULL):",
            "0000:  3232 3020 6f6b 0d0a                        [ 220 ok..         ]",
        ])
    }

    @Test func ipv6IsBracketedTheRightWayInBothDestinations() {
        let event = ScanEvent.identified(
            Fixture.tcp(18081, "::1"), Fixture.identification("http"), response: [], probe: "http", overTLS: false)
        var stdout = terminal()
        var file = log()
        #expect(stdout.format(event) == "Protocol on [::1]:18081/tcp matches http\n")
        #expect(file.format(event) == "Protocol on [::1]:18081/tcp matches http\n")
    }

    @Test func warningsAreEscapedOnStdoutAndNotLogged() {
        let event = ScanEvent.warning(
            Fixture.tcp(1), ScanWarning(.tlsPassFailed, "Could not connect (timeout 5, retries 3) to x\u{1B}[0m"))
        var stdout = terminal()
        var file = log()
        #expect(stdout.format(event) == "Warning: Could not connect (timeout 5, retries 3) to x\\x1b[0m (127.0.0.1:1/tcp)\n")
        #expect(file.format(event) == "")
    }

    @Test func unidentifiedListIsSortedAndNotesMoreThanTen() {
        var events: [ScanEvent] = (1...11).reversed().map { port in
            .finished(PortResult(endpoint: Fixture.tcp(UInt16(port)), state: .open))
        }
        events.append(.finished(PortResult(endpoint: Fixture.udp(1), state: .openFiltered)))
        let lines = Fixture.lines(Fixture.run(terminal(), events))
        // Port first, then transport: 1/tcp, 1/udp, 2/tcp, …
        let expectedList = " 127.0.0.1:1/tcp 127.0.0.1:1/udp" + (2...11).map { " 127.0.0.1:\($0)/tcp" }.joined()
        #expect(lines[2] == "")
        #expect(lines[3] == "Unidentified ports:" + expectedList
            + " (total 12). \t[Note: the -q option suppresses this listing]")
    }

    @Test func noUnidentifiedPortsSaysNoneAndQuietOmitsTheList() {
        let events: [ScanEvent] = [
            .finished(PortResult(
                endpoint: Fixture.tcp(22), state: .open, identifications: [Fixture.identification("ssh")]))
        ]
        #expect(Fixture.lines(Fixture.run(terminal(), events))[3] == "Unidentified ports: none.")
        let quiet = Fixture.lines(Fixture.run(terminal(AmapHumanOptions(listsUnidentified: false)), events))
        #expect(quiet == [
            "amap v5.4-swift (swift-amap) started at 2026-11-26 13:55:49 - APPLICATION MAPPING mode",
            "",
            "",
            "amap v5.4-swift finished at 2026-11-26 13:56:13",
        ])
    }

    @Test func humanLogHasNoBlankLinesAndItsOwnWording() {
        let events: [ScanEvent] = [
            .identified(Fixture.tcp(21), Fixture.identification("ftp"), response: Fixture.bytes("220"),
                        probe: "NULL", overTLS: false),
            .unrecognized(Fixture.tcp(23), response: [0x00], probe: "http", overTLS: false),
            .finished(PortResult(endpoint: Fixture.tcp(23), state: .open)),
        ]
        let lines = Fixture.lines(Fixture.run(log(AmapHumanOptions(dumpsIdentified: true)), events))
        #expect(lines == [
            "amap v5.4-swift (swift-amap) started at 2026-11-26 13:55:49 - MAPPING mode",
            "Protocol on 127.0.0.1:21/tcp matches ftp",
            "Identified response from 127.0.0.1:21/tcp (by trigger NULL):",
            "0000:  3232 30                                    [ 220              ]",
            "Unrecognized response from 127.0.0.1:23/tcp (by trigger http) received.",
            "Please send output + name of the application to the swift-amap issue tracker:",
            "0000:  00                                         [ .                ]",
            "Unidentified ports: 127.0.0.1:23/tcp (total 1).",
            "amap v5.4-swift finished at 2026-11-26 13:56:13",
        ])
    }

    @Test func bannerMode() {
        let events: [ScanEvent] = [
            .banner(Fixture.tcp(18021), Fixture.bytes("220 FTP: ready\r\n")),
            .finished(PortResult(endpoint: Fixture.tcp(18021), state: .open)),
        ]
        #expect(Fixture.lines(Fixture.run(terminal(AmapHumanOptions(mode: .banner)), events)) == [
            "amap v5.4-swift (swift-amap) started at 2026-11-26 13:55:49 - BANNER mode",
            "",
            "Banner on 127.0.0.1:18021/tcp : 220 FTP ready\\r\\n",
            "",
            "amap v5.4-swift finished at 2026-11-26 13:56:13",
        ])
    }

    @Test func portscanModeWithUDPWarning() {
        let events: [ScanEvent] = [
            .portState(Fixture.udp(53), .open),
            .portState(Fixture.udp(54), .openFiltered),
            .portState(Fixture.udp(55), .closed),
        ]
        let options = AmapHumanOptions(mode: .portscan, warnsUnreliableUDP: true)
        #expect(Fixture.lines(Fixture.run(terminal(options), events)) == [
            "amap v5.4-swift (swift-amap) started at 2026-11-26 13:55:49 - PORTSCAN mode",
            "",
            "Warning: UDP port scanning is highly unreliable against Linux, Cisco and other systems that throttle"
                + " ICMP error messages",
            "",
            "Port on 127.0.0.1:53/udp is OPEN",
            "Port on 127.0.0.1:54/udp is OPEN or FILTERED",
            "",
            "amap v5.4-swift finished at 2026-11-26 13:56:13",
        ])
    }

    @Test func brandingIsAParameter() {
        let branding = ReportBranding(program: "amap", version: "9.9", resource: "example", contact: "nobody")
        var formatter = AmapHumanFormatter(branding: branding, timeZone: Fixture.utc)
        #expect(formatter.header(startedAt: Fixture.start)
            == "amap v9.9 (example) started at 2026-11-26 13:55:49 - APPLICATION MAPPING mode\n\n")
    }
}
