import AmapTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// SIGINT mid-scan flushes whole JSON lines and a journal; `--resume` finishes the rest without repeating a
/// finished (target, port) pair; together they equal an uninterrupted scan. Loopback servers in this process.
@Suite(.serialized, .enabled(if: AmapExecutable.isBuilt, "needs the amap binary: swift build --product amap"))
struct InterruptResumeTests {
    /// Twelve ports that each greet after 300 ms, so that one port at a time (-c 1) takes seconds in all.
    private func startServers() async throws -> [any Channel] {
        var servers: [any Channel] = []
        for index in 0..<12 {
            servers.append(try await LoopbackServers.tcp {
                try $0.pipeline.syncOperations.addHandler(DelayedBanner(
                    "SSH-2.0-Resume_\(index)\r\n", after: .milliseconds(300)))
            })
        }
        return servers
    }

    private func arguments(ports: [UInt16], extra: [String]) -> [String] {
        ["--json", "-c", "1", "-S", "--timing", "fixed", "-t", "2", "127.0.0.1"] + ports.map(String.init) + extra
    }

    /// (port, service) of every JSON line, and whether every line was whole and valid.
    private func records(_ text: String) -> [(port: Int, service: String?)] {
        text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                Issue.record("not a whole JSON line: \(line.prefix(120))")
                return nil
            }
            guard let port = object["port"] as? Int else { return nil }
            return (port, object["service"] as? String)
        }
    }

    @Test func interruptedScanResumesWithoutRepeatsAndMatchesAnUninterruptedOne() async throws {
        let servers = try await startServers()
        defer { for server in servers { server.close(promise: nil) } }
        let ports = servers.map(LoopbackServers.port(of:))
        let directory = try Scratch("resume").directory
        defer { try? FileManager.default.removeItem(at: directory) }

        let full = try await AmapExecutable.run(
            arguments(ports: ports, extra: []), in: directory, timeout: .seconds(120))
        #expect(full.status == 0, "\(full.stderr.suffix(4_000))")
        let expected = records(full.stdout)
        #expect(expected.count == ports.count)

        // First run: interrupted with SIGINT once three endpoints have finished.
        let first = try InterruptibleRun(arguments(ports: ports, extra: ["--journal", "scan.journal"]), in: directory)
        let linesBeforeSignal = first.waitForLines(3, timeout: 60)
        #expect(linesBeforeSignal >= 3)
        first.interrupt()
        let interrupted = first.finish(timeout: 30)
        print("interrupt: first run exited \(interrupted.status) after \(String(format: "%.2f", interrupted.seconds)) s "
            + "with \(records(interrupted.stdout).count) of \(ports.count) results")
        #expect(interrupted.status == 130, "\(interrupted.stderr.suffix(4_000))")
        #expect(interrupted.stdout.isEmpty || interrupted.stdout.hasSuffix("\n"))
        #expect(interrupted.stderr.contains("--resume scan.journal"))
        let journal = try String(contentsOf: directory.appendingPathComponent("scan.journal"), encoding: .utf8)
        let firstRecords = records(interrupted.stdout)
        #expect(journal.split(separator: "\n").count == firstRecords.count, "the journal lists each result written")
        #expect(firstRecords.count < ports.count, "the interrupt came before the end")

        // Second run: resumes, skipping everything the journal lists.
        let second = try await AmapExecutable.run(
            arguments(ports: ports, extra: ["--resume", "scan.journal"]), in: directory, timeout: .seconds(120))
        #expect(second.status == 0, "\(second.stderr.suffix(4_000))")
        let secondRecords = records(second.stdout)
        print("interrupt: resumed run found \(secondRecords.count) more in \(String(format: "%.2f", second.seconds)) s")
        let firstPorts = Set(firstRecords.map(\.port))
        #expect(secondRecords.allSatisfy { !firstPorts.contains($0.port) }, "a finished pair was scanned again")
        let union = (firstRecords + secondRecords).map { "\($0.port) \($0.service ?? "-")" }
        #expect(union.count == Set(union).count, "duplicates in the union")
        #expect(Set(union) == Set(expected.map { "\($0.port) \($0.service ?? "-")" }))
        let finalJournal = try String(contentsOf: directory.appendingPathComponent("scan.journal"), encoding: .utf8)
        #expect(finalJournal.split(separator: "\n").count == ports.count)
    }

    @Test func sigtermAlsoFlushesAndExits143() async throws {
        let servers = try await startServers()
        defer { for server in servers { server.close(promise: nil) } }
        let directory = try Scratch("sigterm").directory
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try InterruptibleRun(
            arguments(ports: servers.map(LoopbackServers.port(of:)), extra: ["-oX", "report.xml"]), in: directory)
        #expect(run.waitForLines(2, timeout: 60) >= 2)
        run.interrupt(signal: SIGTERM)
        let result = run.finish(timeout: 30)
        #expect(result.status == 143, "\(result.stderr.suffix(4_000))")
        // The footer was written: the XML of an interrupted scan is still a whole document.
        let xml = try Data(contentsOf: directory.appendingPathComponent("report.xml"))
        OutputSafety.expectWellFormedXML(String(decoding: xml, as: UTF8.self), label: "interrupted -oX")
    }
}

/// A subprocess whose stdout is read line by line while it runs, so it can be signalled mid-scan.
final class InterruptibleRun: @unchecked Sendable {
    // @unchecked Sendable: `output` is guarded by `lock`; the process is only signalled and waited on.
    private let process = Process()
    private let lock = NSLock()
    private var output = Data()
    private let errors: Drain
    private let started = Date()

    init(_ arguments: [String], in directory: URL) throws {
        let executable: URL = try #require(AmapExecutable.url)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        errors = Drain(err.fileHandleForReading)
        try process.run()
        let reader = out.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                lock.lock()
                output.append(chunk)
                lock.unlock()
            }
        }
    }

    private var lineCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return output.filter { $0 == 0x0A }.count
    }

    /// Waits until stdout holds `count` lines (or the timeout) and returns how many it holds.
    func waitForLines(_ count: Int, timeout: Double) -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while lineCount < count && Date() < deadline && process.isRunning { usleep(10_000) }
        return lineCount
    }

    func interrupt(signal: Int32 = SIGINT) {
        kill(process.processIdentifier, signal)
    }

    func finish(timeout: Double) -> AmapRun {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("amap did not stop within \(timeout) s of the signal")
        }
        process.waitUntilExit()
        let errorText = errors.text()
        usleep(50_000)
        lock.lock()
        defer { lock.unlock() }
        return AmapRun(
            arguments: process.arguments ?? [], status: process.terminationStatus,
            stdout: String(decoding: output, as: UTF8.self), stderr: errorText,
            elapsed: .seconds(Date().timeIntervalSince(started)), timedOut: false)
    }
}

/// Reads a pipe to its end on a background thread.
final class Drain: @unchecked Sendable {
    // @unchecked Sendable: `data` is written only by the reading thread and read only after `done` was waited on.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Sends `banner` `delay` after the connection is up.
final class DelayedBanner: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let banner: [UInt8]
    private let delay: TimeAmount

    init(_ banner: String, after delay: TimeAmount) {
        self.banner = Array(banner.utf8)
        self.delay = delay
    }

    func channelActive(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let bytes = banner
        context.eventLoop.scheduleTask(in: delay) {
            let context = loopBound.value
            guard context.channel.isActive else { return }
            context.writeAndFlush(NIOAny(ByteBuffer(bytes: bytes)), promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
