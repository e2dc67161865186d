import Foundation

/// Runs the built `amap` executable (a sibling of the test bundle in the build folder) and collects its output.
enum AmapBinary {
    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The package's root folder (this file is Tests/AmapKitTests/Support/AmapBinary.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The executable built with the tests: next to the test runner, else in .build/debug.
    static var url: URL? {
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var candidates = [runner.deletingLastPathComponent().appendingPathComponent("amap")]
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("amap"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/amap"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `amap arguments…` with `input` on its standard input and waits for it to exit.
    static func run(_ arguments: [String], input: Data? = nil, in directory: URL? = nil) throws -> Output {
        guard let url else { throw BinaryMissing() }
        return try run(executable: url, arguments, input: input, in: directory)
    }

    /// Runs any executable and waits for it (output is read on other threads so big outputs cannot block it).
    static func run(executable: URL, _ arguments: [String], input: Data? = nil, in directory: URL? = nil) throws
        -> Output
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        let outBox = DataBox()
        let errBox = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(stdout, outBox), (stderr, errBox)] {
            DispatchQueue.global().async(group: group) { box.set(pipe.fileHandleForReading.readDataToEndOfFile()) }
        }
        if let input { stdin.fileHandleForWriting.write(input) }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Output(
            status: process.terminationStatus,
            standardOutput: String(decoding: outBox.get(), as: UTF8.self),
            standardError: String(decoding: errBox.get(), as: UTF8.self)
        )
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var description: String { "the amap executable was not found; run 'swift build' first" }
    }
}

/// A value written by one thread and read by another after a DispatchGroup wait.
///
/// `@unchecked Sendable` is safe: every access goes through `lock`.
final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
