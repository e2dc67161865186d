import AmapKit
import Testing

@Suite struct ScanProgressTests {
    private static func finished(_ port: UInt16) -> ScanEvent {
        .finished(PortResult(endpoint: Endpoint(host: "127.0.0.1", port: port, transport: .tcp), state: .closed))
    }

    @Test func countsOnlyFinishedEvents() {
        var progress = ScanProgress(total: 400)
        let endpoint = Endpoint(host: "127.0.0.1", port: 1, transport: .tcp)
        progress.record(.warning(endpoint, ScanWarning(.localResourcesRetrying, "x")))
        progress.record(.portState(endpoint, .open))
        #expect(progress.done == 0)
        for port in 1...100 { progress.record(Self.finished(UInt16(port))) }
        #expect(progress.done == 100)
        #expect(progress.line(elapsed: .zero) == "100/400 (25.0%)")
        // 100 in 4 s is 25/s; 300 left is 12 s.
        #expect(progress.line(elapsed: .seconds(4)) == "100/400 (25.0%), 25.0/s, ETA 12s")
        #expect(progress.line(elapsed: .milliseconds(400_000)) == "100/400 (25.0%), 0.3/s, ETA 20m00s")
    }

    @Test func unknownTotalAndLongEstimates() {
        var progress = ScanProgress()
        progress.record(Self.finished(1))
        #expect(progress.line(elapsed: .seconds(2)) == "1, 0.5/s")
        var huge = ScanProgress(total: 10_000_000)
        for port in 1...3 { huge.record(Self.finished(UInt16(port))) }
        #expect(huge.line(elapsed: .seconds(3)) == "3/10000000 (0.0%), 1.0/s, ETA 2777h46m")
    }
}
