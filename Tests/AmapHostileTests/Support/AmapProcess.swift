import Foundation
import Testing

/// Runs the built `amap` binary (next to this test bundle in .build/<triple>/debug) as a subprocess.
struct AmapProcess {
    /// What a finished run produced.
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var seconds: Double
    }

    /// The `amap` executable beside the running test bundle, if it was built.
    static var executable: URL? {
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = me.deletingLastPathComponent()
        // swift-testing may run from inside the .xctest bundle directory on some platforms.
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        let candidate = directory.appendingPathComponent("amap")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }

    static var isBuilt: Bool { executable != nil }

    /// Runs `arguments` in `directory` and waits at most `timeout` seconds (then kills it and records an issue).
    static func run(_ arguments: [String], in directory: URL, timeout: Double = 30) throws -> Run {
        let process = Process()
        process.executableURL = try #require(executable, "build amap first: swift build --product amap")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        // Drain both pipes while it runs, so a chatty child cannot block on a full pipe.
        let outputData = Drain(output.fileHandleForReading)
        let errorData = Drain(error.fileHandleForReading)
        while process.isRunning && Date().timeIntervalSince(started) < timeout { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("amap \(arguments.joined(separator: " ")) ran longer than \(timeout) s")
        }
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardOutput: outputData.text(),
                   standardError: errorData.text(), seconds: Date().timeIntervalSince(started))
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

/// A fresh scratch directory under the system's temporary directory.
func scratchDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("amap-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
