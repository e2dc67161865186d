import Foundation

/// The built `amap` executable, and the one way the tests run it (or any other program) as a subprocess.
public enum AmapExecutable {
    /// Where the tests look for `amap`, first match wins: `$AMAP_BINARY`, the directory of the test runner (SwiftPM
    /// puts every product of a build in one directory), the directory of an `.xctest` bundle, then `.build/debug/amap`
    /// under the package root.
    public static func candidates() -> [URL] {
        var urls: [URL] = []
        if let path = ProcessInfo.processInfo.environment["AMAP_BINARY"], !path.isEmpty {
            urls.append(URL(fileURLWithPath: path))
        }
        var runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        // swift-testing may run from inside the .xctest bundle directory on some platforms.
        if runner.pathExtension == "xctest" { runner = runner.deletingLastPathComponent() }
        urls.append(runner.appendingPathComponent("amap"))
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
    public static let url: URL? = candidates().first { url in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    }

    /// True when the executable was found.
    public static var isBuilt: Bool { url != nil }

    /// Another product of the same build (`ScanExample`): SwiftPM puts every executable in `amap`'s directory. Nil
    /// when `amap` was not found or `name` is not an executable file there.
    public static func sibling(_ name: String) -> URL? {
        guard let candidate = url?.deletingLastPathComponent().appendingPathComponent(name) else { return nil }
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }

    /// What went wrong while starting the executable.
    public enum LaunchError: Error, CustomStringConvertible {
        /// No candidate is an executable file.
        case notBuilt(searched: [String])

        public var description: String {
            switch self {
            case .notBuilt(let searched):
                return "no amap executable (looked at \(searched.joined(separator: ", "))); "
                    + "run 'swift build --product amap' or set AMAP_BINARY"
            }
        }
    }

    /// Runs `amap arguments`; see ``Subprocess/run(_:arguments:input:in:timeout:prefix:)``.
    public static func run(
        _ arguments: [String],
        input: Data? = nil,
        in directory: URL? = nil,
        timeout: Duration = .seconds(60),
        prefix: [String] = []
    ) async throws -> AmapRun {
        guard let executable = url else { throw LaunchError.notBuilt(searched: candidates().map(\.path)) }
        return try await Subprocess.run(
            executable, arguments: arguments, input: input, in: directory, timeout: timeout, prefix: prefix)
    }
}

/// Runs a program to its end with a time limit.
public enum Subprocess {
    /// Runs `executable arguments` with `input` on its standard input (none: /dev/null), in `directory`, stdout and
    /// stderr going to temporary files (so a full pipe can never block it), and kills it when `timeout` passes.
    /// `prefix` puts a launcher in front (`unshare -n`).
    public static func run(
        _ executable: URL,
        arguments: [String],
        input: Data? = nil,
        in directory: URL? = nil,
        timeout: Duration = .seconds(60),
        prefix: [String] = []
    ) async throws -> AmapRun {
        let scratch = try Scratch("run")
        defer { scratch.remove() }
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
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = out
        process.standardError = err
        if let input {
            let inURL = try scratch.write("stdin", input)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let started = ContinuousClock.now
        let status: Int32 = await withCheckedContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(returning: -1)
            }
            Watchdog(process: process, timeout: timeout).arm()
        }
        let elapsed = ContinuousClock.now - started
        try? out.close()
        try? err.close()
        return AmapRun(
            arguments: arguments, status: status,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
            elapsed: elapsed, timedOut: elapsed >= timeout)
    }
}

/// Kills a subprocess that outlives its time limit.
///
/// `@unchecked Sendable`: the only state is the `Process`, whose `isRunning` and `terminate()` are thread-safe in
/// Foundation (both go through the process's own lock-protected state and `kill(2)`); nothing else is shared.
final class Watchdog: @unchecked Sendable {
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

/// One finished run of `amap` (or another program).
public struct AmapRun: Sendable, CustomStringConvertible {
    /// The arguments it was given.
    public let arguments: [String]
    /// Its exit status (-1 when it could not be started).
    public let status: Int32
    /// Everything it wrote on standard output.
    public let stdout: String
    /// Everything it wrote on standard error.
    public let stderr: String
    /// How long it ran.
    public let elapsed: Duration
    /// True when it was killed for running past its time limit.
    public let timedOut: Bool

    /// Creates a run (for callers that drive the process themselves).
    public init(arguments: [String], status: Int32, stdout: String, stderr: String, elapsed: Duration,
                timedOut: Bool) {
        self.arguments = arguments
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed = elapsed
        self.timedOut = timedOut
    }

    /// Standard output's lines (the last one empty when the output ends with a newline).
    public var stdoutLines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The command and what came back, for failure messages.
    public var description: String {
        "amap \(arguments.joined(separator: " ")) -> status \(status)\(timedOut ? " (killed: time limit)" : "") "
            + "after \(elapsed)\n--- stdout:\n\(stdout)\n--- stderr:\n\(stderr)"
    }

    /// ``elapsed`` in seconds.
    public var seconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
