import AmapKit
import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `amap db`: commands that work on signature databases rather than on targets.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect signature databases.",
        subcommands: [DBCheckCommand.self]
    )
}

/// `amap db check`: loads signature files, prints what they hold and every problem with its location.
///
/// Exits 0 only when every file was read and no line had an error (warnings are allowed).
struct DBCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load signature files; print their counts, every problem (file:line:column) and the load time.",
        discussion: """
            Exits with status 0 only if every file could be read and no line has an error. Lines with errors are \
            listed and skipped, exactly as a scan would skip them.
            """
    )

    @Option(
        name: .customLong("nmap-db"),
        help: ArgumentHelp("An nmap-service-probes file, e.g. /usr/share/nmap/nmap-service-probes (repeatable).",
                           valueName: "FILE"),
        completion: .file()
    )
    var nmapDatabases: [String] = []

    @Option(
        name: .customShort("D"),
        help: ArgumentHelp("amap 5.4 files PREFIX.trig, PREFIX.resp and PREFIX.rpc (repeatable).", valueName: "PREFIX"),
        completion: .file()
    )
    var appdefsPrefixes: [String] = []

    @Flag(name: .customLong("no-builtin"), help: "Do not check the built-in database.")
    var skipBuiltin = false

    /// Every source to check: the built-in database first, then the files in the order given. A new format is one
    /// more option mapped to one more source kind.
    var sources: [SignatureSource] {
        (skipBuiltin ? [] : [.builtin]) + nmapDatabases.map { .nmapServiceProbes(path: $0) }
            + appdefsPrefixes.map { .appdefs(prefix: $0) }
    }

    func validate() throws {
        guard !sources.isEmpty else {
            throw ValidationError("nothing to check: drop --no-builtin or give --nmap-db FILE or -D PREFIX")
        }
    }

    func run() throws {
        var database = SignatureDatabase()
        var errorCount = 0
        var warningCount = 0
        var failedSources = 0
        let clock = ContinuousClock()
        var totalTime = Duration.zero
        for source in sources {
            let start = clock.now
            let result: LoadResult
            do {
                result = try source.load()
            } catch {
                failedSources += 1
                printError("amap: \(error)")
                continue
            }
            let elapsed = clock.now - start
            totalTime += elapsed
            let errors = result.errors.count
            errorCount += errors
            warningCount += result.diagnostics.count - errors
            print("\(source.label): \(Self.counts(result.database)); \(errors) error(s), "
                + "\(result.diagnostics.count - errors) warning(s); loaded and compiled in \(Self.seconds(elapsed))")
            for diagnostic in result.diagnostics { print("  \(diagnostic)") }
            database.merge(result.database)
        }
        print("total: \(Self.counts(database)); \(errorCount) error(s), \(warningCount) warning(s)"
            + (failedSources > 0 ? ", \(failedSources) unreadable file(s)" : ""))
        print("load and compile time: \(Self.seconds(totalTime))")
        if errorCount > 0 || failedSources > 0 { throw ExitCode.failure }
    }

    static func counts(_ database: SignatureDatabase) -> String {
        let soft = database.probes.reduce(0) { $0 + $1.signatures.filter { $0.strength == .soft }.count }
            + database.responseSignatures.filter { $0.strength == .soft }.count
        return "\(database.probes.count) probes, \(database.signatureCount) signatures, \(soft) soft signatures, "
            + "\(database.serviceNames.count) services"
    }

    /// `0.412 s`, to the millisecond.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }

    private func printError(_ message: String) {
        var standardError = StandardErrorOutput()
        print(message, to: &standardError)
    }
}

/// Text written to the standard error stream.
private struct StandardErrorOutput: TextOutputStream {
    mutating func write(_ string: String) { writeStandardError(Array(string.utf8)) }
}

private func writeStandardError(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// A signature file named on the command line, and the loader for its format.
enum SignatureSource: Sendable, Hashable {
    /// The database shipped with swift-amap.
    case builtin
    /// nmap's `nmap-service-probes` format.
    case nmapServiceProbes(path: String)
    /// amap 5.4's appdefs files, by prefix.
    case appdefs(prefix: String)

    /// How the source is named in output.
    var label: String {
        switch self {
        case .builtin: return "built-in database"
        case .nmapServiceProbes(let path): return path
        case .appdefs(let prefix): return "\(prefix).{trig,resp,rpc}"
        }
    }

    /// Loads it, skipping (and reporting) bad lines.
    func load() throws(SignatureFileError) -> LoadResult {
        switch self {
        case .builtin: return try BuiltinDatabase.load()
        case .nmapServiceProbes(let path): return try ServiceProbesLoader.load(path: path)
        case .appdefs(let prefix): return try AppdefsLoader.load(prefix: prefix, strict: false)
        }
    }
}
