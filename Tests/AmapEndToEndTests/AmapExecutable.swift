import Foundation

/// The built `amap` executable and a way to run it as a subprocess, with a time limit.
enum AmapExecutable {
    /// Where the tests look for `amap`, first match wins: `$AMAP_BINARY`, the directory of the test bundle (SwiftPM
    /// puts every product of a build in one directory), then `.build/debug/amap` under the package root.
    static func candidates() -> [URL] {
        var urls: [URL] = []
        if let path = ProcessInfo.processInfo.environment["AMAP_BINARY"], !path.isEmpty {
            urls.append(URL(fileURLWithPath: path))
        }
        let bundle = Bundle.main.bundleURL
        urls.append(bundle.appendingPathComponent("amap"))
        urls.append(bundle.deletingLastPathComponent().appendingPathComponent("amap"))
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            urls.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("amap"))
        }
        urls.append(PackageRoot.url.appendingPathComponent(".build/debug/amap"))
        return urls
    }

    /// The first candidate that is an executable file (not a directory named `amap`).
    static let url: URL? = candidates().first { url in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    }

    /// What went wrong while starting the executable.
    enum LaunchError: Error, CustomStringConvertible {
        case notBuilt(searched: [String])

        var description: String {
            switch self {
            case .notBuilt(let searched):
                return "no amap executable (looked at \(searched.joined(separator: ", "))); "
                    + "run 'swift build --product amap' or set AMAP_BINARY"
            }
        }
    }

    /// Runs `amap arguments`, stdout and stderr going to temporary files (so a full pipe can never block it), and kills
    /// it when `timeout` passes. `prefix` puts a launcher in front (`unshare -n`).
    static func run(
        _ arguments: [String],
        timeout: Duration = .seconds(60),
        prefix: [String] = []
    ) async throws -> AmapRun {
        guard let executable = url else { throw LaunchError.notBuilt(searched: candidates().map(\.path)) }
        let scratch = try Scratch()
        let outURL = scratch.file("stdout")
        let errURL = scratch.file("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        if prefix.isEmpty {
            process.executableURL = executable
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = prefix + [executable.path] + arguments
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let started = ContinuousClock.now
        let status: Int32 = await withCheckedContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(returning: -1)
            }
            let watchdog = Watchdog(process: process, timeout: timeout)
            watchdog.arm()
        }
        let elapsed = ContinuousClock.now - started
        try? out.close()
        try? err.close()
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return AmapRun(
            arguments: arguments, status: status, stdout: stdout, stderr: stderr, elapsed: elapsed,
            timedOut: elapsed >= timeout
        )
    }
}

/// Kills a subprocess that outlives its time limit.
///
/// `@unchecked Sendable`: the only state is the `Process`, whose `isRunning` and `terminate()` are thread-safe in
/// Foundation (both go through the process's own lock-protected state and `kill(2)`); nothing else is shared.
private final class Watchdog: @unchecked Sendable {
    let process: Process
    let timeout: Duration

    init(process: Process, timeout: Duration) {
        self.process = process
        self.timeout = timeout
    }

    func arm() {
        Task.detached { [self] in
            try? await Task.sleep(for: timeout)
            if process.isRunning { process.terminate() }
        }
    }
}

/// One finished run of `amap`.
struct AmapRun: Sendable, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String
    let elapsed: Duration
    let timedOut: Bool

    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// The command and what came back, for failure messages.
    var description: String {
        "amap \(arguments.joined(separator: " ")) -> status \(status)\(timedOut ? " (killed: time limit)" : "") "
            + "after \(elapsed)\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)"
    }

    var seconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// The package root, found from this file's path (Tests/AmapEndToEndTests/<file>).
enum PackageRoot {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

/// A fresh temporary directory for one test's files.
struct Scratch: Sendable {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("amap-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    func write(_ name: String, _ text: String) throws -> URL {
        let url = file(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: file(name), encoding: .utf8)
    }
}
