import AmapModel
import Testing

@testable import AmapReport

/// amap 5.4's warnings, word for word (reference: amap-5.4.md §5 and §6), and issue 12's rule that a closed or
/// filtered port is never listed under "Unidentified ports".
@Suite struct AmapWarningWordingTests {
    private func terminal(_ options: AmapHumanOptions) -> AmapHumanFormatter {
        AmapHumanFormatter(destination: .terminal, options: options, timeZone: Fixture.utc)
    }

    @Test func connectTimeoutWarningNamesTheTimeoutAndAttemptsAndIsNotHiddenByQuiet() {
        let filtered = ScanEvent.finished(PortResult(endpoint: Fixture.tcp(18997), state: .filtered))
        for quiet in [false, true] {
            var formatter = terminal(AmapHumanOptions(listsUnidentified: !quiet, connectTimeoutSeconds: 2,
                                                      connectAttempts: 4))
            #expect(formatter.format(filtered)
                == "Warning: Could not connect (timeout 2, retries 4) to 127.0.0.1:18997/tcp, disabling port\n")
        }
    }

    @Test func refusedTCPWarningOnlyUnderVerboseAndNotUnderQuiet() {
        let closed = ScanEvent.finished(PortResult(endpoint: Fixture.tcp(18998), state: .closed))
        var plain = terminal(AmapHumanOptions())
        #expect(plain.format(closed) == "")
        var verbose = terminal(AmapHumanOptions(showsTrigger: true, warnsRefused: true))
        #expect(verbose.format(closed)
            == "Warning: Could not connect (refused) to 127.0.0.1:18998/tcp, disabling port\n")
        var verboseQuiet = terminal(AmapHumanOptions(showsTrigger: true, listsUnidentified: false, warnsRefused: true))
        #expect(verboseQuiet.format(closed) == "")
    }

    @Test func closedAndFilteredPortsAreNotUnidentified() {
        let events: [ScanEvent] = [
            .finished(PortResult(endpoint: Fixture.tcp(18998), state: .closed)),
            .finished(PortResult(endpoint: Fixture.tcp(18997), state: .filtered)),
            .finished(PortResult(endpoint: Fixture.udp(18998), state: .closed)),
            .finished(PortResult(endpoint: Fixture.tcp(18999), state: .open)),
            .finished(PortResult(endpoint: Fixture.udp(18999), state: .openFiltered)),
        ]
        let text = Fixture.run(terminal(AmapHumanOptions()), events)
        #expect(Fixture.lines(text).contains("Unidentified ports: 127.0.0.1:18999/tcp 127.0.0.1:18999/udp (total 2)."),
                "\(text)")
        let onlyClosed = Fixture.run(terminal(AmapHumanOptions()),
                                     [.finished(PortResult(endpoint: Fixture.tcp(18998), state: .closed))])
        #expect(Fixture.lines(onlyClosed).contains("Unidentified ports: none."), "\(onlyClosed)")
    }
}
