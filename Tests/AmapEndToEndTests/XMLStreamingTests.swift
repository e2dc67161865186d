import AmapTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `-oX` streams host by host: an address's `<host>` is in the file as soon as its last port has finished, while
/// another address is still being probed.
@Suite("amap -oX streams host by host", .timeLimit(.minutes(2)))
struct XMLStreamingTests {
    @Test("the refused address's <host> is written while the silent address still waits for answers")
    func aFinishedHostIsWrittenBeforeTheScanEnds() async throws {
        let executable = try #require(AmapExecutable.url, "no amap executable")
        // Banner mode (-B) with a fixed 3 s wait: a port that accepts and never sends keeps 127.0.0.1 busy for the
        // whole wait; a refused port on 127.0.0.2 (nothing listens there) is finished at once.
        let silent = try LoopbackTCPServer()
        defer { silent.stop() }
        let closed = try ClosedPort()
        defer { closed.release() }
        let scratch = try Scratch("xml-stream")
        defer { scratch.remove() }
        let path = scratch.file("scan.xml").path
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-B", "--timing", "fixed", "-t", "3", "-oX", path,
                             "127.0.0.1", String(silent.port), "127.0.0.2", String(closed.port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var early: String?
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if early == nil && text.contains("addr=\"127.0.0.2\"") { early = text }
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let snapshot = try #require(early, "127.0.0.2's host was not seen while the scan ran")
        #expect(!snapshot.contains("addr=\"127.0.0.1\"") && !snapshot.contains("</nmaprun>"), "\(snapshot)")

        let final = try String(contentsOfFile: path, encoding: .utf8)
        let root = try XMLDocument(xmlString: final, options: []).rootElement()
        let addresses = root?.elements(forName: "host").compactMap {
            $0.elements(forName: "address").first?.attribute(forName: "addr")?.stringValue
        }
        #expect(addresses == ["127.0.0.2", "127.0.0.1"], "\(final)")
    }
}
