import AmapModel
import Testing

@testable import AmapReport

/// Bugs found by the end-to-end suite: an nmap `ssl/` identification made outside the TLS pass lost its "over SSL",
/// and UDP refusals were reported without naming the port and despite -q.
@Suite struct AmapHumanFormatterWarningTests {
    @Test func sslPrefixedSignatureIsPrintedOverSSLInBothFormats() {
        let endpoint = Fixture.tcp(18443)
        let event = ScanEvent.identified(endpoint, Fixture.identification("http", tunnelled: true),
                                         response: Fixture.bytes("HTTP/1.1 400"), probe: "GetRequest", overTLS: false)
        var human = AmapHumanFormatter(destination: .terminal, options: AmapHumanOptions(showsVersionDetail: false),
                                       timeZone: Fixture.utc)
        #expect(human.format(event) == "Protocol on 127.0.0.1:18443/tcp over SSL matches http\n")
        var machine = AmapMachineFormatter(timeZone: Fixture.utc)
        #expect(machine.format(event).hasPrefix("127.0.0.1:18443:tcp:open:SSL:http:"))
    }

    @Test func refusedUDPPortIsNamedAndHiddenByQuiet() {
        let result = ScanEvent.finished(PortResult(endpoint: Fixture.udp(18998), state: .closed))
        var loud = AmapHumanFormatter(destination: .terminal, options: AmapHumanOptions(), timeZone: Fixture.utc)
        #expect(loud.format(result) == "Warning: Could not connect (unreachable) to 127.0.0.1:18998/udp, disabling port\n")
        var quiet = AmapHumanFormatter(destination: .terminal, options: AmapHumanOptions(listsUnidentified: false),
                                       timeZone: Fixture.utc)
        #expect(quiet.format(result) == "")
        var tcp = AmapHumanFormatter(destination: .terminal, options: AmapHumanOptions(), timeZone: Fixture.utc)
        #expect(tcp.format(.finished(PortResult(endpoint: Fixture.tcp(18998), state: .closed))) == "")
    }

    @Test func warningsNameTheirEndpoint() {
        var formatter = AmapHumanFormatter(destination: .terminal, options: AmapHumanOptions(), timeZone: Fixture.utc)
        #expect(formatter.format(.warning(Fixture.tcp(22), ScanWarning(.tlsPassFailed, "connect timed out")))
            == "Warning: connect timed out (127.0.0.1:22/tcp)\n")
        #expect(formatter.format(.warning(nil, ScanWarning(.tlsPassUnavailable, "TLS pass unavailable")))
            == "Warning: TLS pass unavailable\n")
    }
}
