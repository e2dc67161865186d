import Foundation
import Testing

/// A program from another package that the tests feed amap's output to (nmap's tools, python3 modules), run as a
/// subprocess with a time limit, and the gate that skips a test when it is missing.
///
/// Without the tool a test is disabled with a message naming the Debian package; with `AMAP_REQUIRE_DAEMONS=1` (CI,
/// which installs scripts/daemon-packages.txt) it runs and fails with that message.
public struct ExternalTool: Sendable, CustomStringConvertible {
    /// What the test calls it.
    public let name: String
    /// The Debian package that provides it (listed in scripts/daemon-packages.txt).
    public let package: String
    /// The executable.
    public let path: String
    /// A python3 module that must import, when the tool is a module.
    public let pythonModule: String?
    /// Data files the tool is used with (nmap's DTD, its stylesheet), from package nmap-common.
    public let nmapFiles: [String]

    init(name: String, package: String, path: String, pythonModule: String? = nil, nmapFiles: [String] = []) {
        self.name = name
        self.package = package
        self.path = path
        self.pythonModule = pythonModule
        self.nmapFiles = nmapFiles
    }

    /// nmap's DTD and stylesheet (package nmap-common).
    public static let dtd = "/usr/share/nmap/nmap.dtd"
    public static let stylesheet = "/usr/share/nmap/nmap.xsl"

    public static let xmllint = ExternalTool(
        name: "xmllint", package: "libxml2-utils", path: "/usr/bin/xmllint", nmapFiles: [dtd])
    public static let xsltproc = ExternalTool(
        name: "xsltproc", package: "xsltproc", path: "/usr/bin/xsltproc", nmapFiles: [stylesheet])
    public static let ndiff = ExternalTool(name: "ndiff", package: "ndiff", path: "/usr/bin/ndiff")
    public static let nmap = ExternalTool(name: "nmap", package: "nmap", path: "/usr/bin/nmap")
    public static let pythonNmap = ExternalTool(
        name: "python3-nmap", package: "python3-nmap", path: "/usr/bin/python3", pythonModule: "nmap")
    public static let pythonLibnmap = ExternalTool(
        name: "python3-libnmap", package: "python3-libnmap", path: "/usr/bin/python3", pythonModule: "libnmap.parser")
    /// A draft 2020-12 JSON Schema validator.
    public static let pythonJSONSchema = ExternalTool(
        name: "python3-jsonschema", package: "python3-jsonschema", path: "/usr/bin/python3",
        pythonModule: "jsonschema")

    /// The shells the completion scripts are run in.
    public static let bash = ExternalTool(name: "bash", package: "bash", path: "/bin/bash")
    public static let zsh = ExternalTool(name: "zsh", package: "zsh", path: "/usr/bin/zsh")
    public static let fish = ExternalTool(name: "fish", package: "fish", path: "/usr/bin/fish")

    public var description: String { "\(name) (Debian package \(package))" }

    /// Whether the tool is installed and works.
    public var isPresent: Bool {
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        guard let module = pythonModule else { return true }
        return Self.imports(module)
    }

    /// The tools among `tools` that are missing, and the nmap files they need that are.
    public static func missing(_ tools: [ExternalTool]) -> [String] {
        var missing = tools.filter { !$0.isPresent }.map(\.description)
        for file in Set(tools.flatMap(\.nmapFiles)).sorted() where !FileManager.default.fileExists(atPath: file) {
            missing.append("\(file) (Debian package nmap-common)")
        }
        return missing
    }

    /// Enables a test when its tools are installed, or always under `AMAP_REQUIRE_DAEMONS=1`.
    public static func needs(_ tools: ExternalTool...) -> ConditionTrait {
        let missing = missing(tools)
        return .enabled(
            if: DaemonAvailability.required || missing.isEmpty,
            Comment(rawValue: missing.isEmpty ? "tools present" : "missing: \(missing.joined(separator: ", "))"))
    }

    /// Fails the test (under `AMAP_REQUIRE_DAEMONS=1`) when any of `tools` is missing.
    public static func require(_ tools: ExternalTool...) throws {
        let missing = missing(tools)
        if !missing.isEmpty {
            throw Missing(
                description: "missing: \(missing.joined(separator: ", ")); install the packages listed in "
                    + "scripts/daemon-packages.txt")
        }
    }

    /// Tools missing where they are required.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs the tool with `arguments` (stdin empty), killing it when `timeout` passes.
    public func run(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> AmapRun {
        try await Subprocess.run(URL(fileURLWithPath: path), arguments: arguments, timeout: timeout)
    }

    /// Runs `python3 -c script arguments…`.
    public func python(_ script: String, _ arguments: [String]) async throws -> AmapRun {
        try await run(["-c", script] + arguments)
    }

    /// Whether `import module` works in Debian's python3 (it starts in milliseconds).
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
}
