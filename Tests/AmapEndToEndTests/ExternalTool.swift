import Foundation
import Testing

/// A program from another package that the tests feed amap's output to (nmap's tools, python3 modules), run as a
/// subprocess with a time limit, and the gate that skips a test when it is missing.
///
/// Without the tool a test is disabled with a message naming the Debian package; with `AMAP_REQUIRE_DAEMONS=1` (CI,
/// which installs scripts/daemon-packages.txt) it runs and fails with that message.
struct ExternalTool: Sendable, CustomStringConvertible {
    /// What the test calls it.
    let name: String
    /// The Debian package that provides it (listed in scripts/daemon-packages.txt).
    let package: String
    /// The executable.
    let path: String
    /// A python3 module that must import, when the tool is a module.
    let pythonModule: String?

    static let xmllint = ExternalTool(name: "xmllint", package: "libxml2-utils", path: "/usr/bin/xmllint",
                                      pythonModule: nil)
    static let xsltproc = ExternalTool(name: "xsltproc", package: "xsltproc", path: "/usr/bin/xsltproc",
                                       pythonModule: nil)
    static let ndiff = ExternalTool(name: "ndiff", package: "ndiff", path: "/usr/bin/ndiff", pythonModule: nil)
    static let nmap = ExternalTool(name: "nmap", package: "nmap", path: "/usr/bin/nmap", pythonModule: nil)
    static let pythonNmap = ExternalTool(name: "python3-nmap", package: "python3-nmap", path: "/usr/bin/python3",
                                         pythonModule: "nmap")
    static let pythonLibnmap = ExternalTool(name: "python3-libnmap", package: "python3-libnmap",
                                            path: "/usr/bin/python3", pythonModule: "libnmap.parser")

    /// nmap's DTD and stylesheet (package nmap-common).
    static let dtd = "/usr/share/nmap/nmap.dtd"
    static let stylesheet = "/usr/share/nmap/nmap.xsl"

    var description: String { "\(name) (Debian package \(package))" }

    /// Whether the tool is installed and works.
    var isPresent: Bool {
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        guard let module = pythonModule else { return true }
        return Self.imports(module)
    }

    /// The tools among `tools` that are missing, and nmap's DTD or stylesheet when they are.
    static func missing(_ tools: [ExternalTool]) -> [String] {
        var missing = tools.filter { !$0.isPresent }.map(\.description)
        for file in [dtd, stylesheet] where !FileManager.default.fileExists(atPath: file) {
            missing.append("\(file) (Debian package nmap-common)")
        }
        return missing
    }

    /// Enables a test when its tools are installed, or always under `AMAP_REQUIRE_DAEMONS=1`.
    static func needs(_ tools: ExternalTool...) -> ConditionTrait {
        let missing = missing(tools)
        return .enabled(
            if: DaemonAvailability.required || missing.isEmpty,
            Comment(rawValue: missing.isEmpty ? "tools present" : "missing: \(missing.joined(separator: ", "))"))
    }

    /// Fails the test (under `AMAP_REQUIRE_DAEMONS=1`) when any of `tools` is missing.
    static func require(_ tools: ExternalTool...) throws {
        let missing = missing(tools)
        if !missing.isEmpty {
            throw DaemonAvailability.Missing(
                message: "missing: \(missing.joined(separator: ", ")); install the packages listed in "
                    + "scripts/daemon-packages.txt")
        }
    }

    /// One finished run.
    struct Run: Sendable, CustomStringConvertible {
        let command: [String]
        let status: Int32
        let standardOutput: String
        let standardError: String

        var description: String {
            "\(command.joined(separator: " ")) -> \(status)\n--- stdout:\n\(standardOutput)\n--- stderr:\n\(standardError)"
        }
    }

    /// Runs the tool with `arguments` (stdin empty), killing it when `timeout` passes.
    func run(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Run {
        try await Self.run(path, arguments, timeout: timeout)
    }

    /// Runs `python3 -c script arguments…`.
    func python(_ script: String, _ arguments: [String]) async throws -> Run {
        try await Self.run(path, ["-c", script] + arguments)
    }

    /// Whether `import module` works in python3 (checked without waiting on a concurrency thread for long: python
    /// starts in milliseconds).
    private static func imports(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Runs `path arguments`, stdout and stderr going to temporary files (a full pipe can never block it).
    static func run(_ path: String, _ arguments: [String], timeout: Duration = .seconds(120)) async throws -> Run {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.directory) }
        let outURL = scratch.file("stdout")
        let errURL = scratch.file("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
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
        try? out.close()
        try? err.close()
        return Run(
            command: [path] + arguments, status: status,
            standardOutput: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
