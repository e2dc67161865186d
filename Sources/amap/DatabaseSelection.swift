import AmapSignatures
import Foundation

/// Which signature files a scan uses: the built-in database unless `--nmap`, `--nmap-db` or `-D` replace it
/// (`--builtin` keeps it alongside them).
struct DatabaseSelection {
    let options: ScanOptions

    /// Where nmap installs its database, in the order nmap itself looks (after `$NMAPDIR`).
    static let nmapSearchPaths = [
        "/usr/share/nmap/nmap-service-probes",
        "/usr/local/share/nmap/nmap-service-probes",
        "/opt/homebrew/share/nmap/nmap-service-probes",
        "/opt/local/share/nmap/nmap-service-probes",
    ]

    static func installedNmapDatabase() -> String? {
        var paths = nmapSearchPaths
        if let directory = ProcessInfo.processInfo.environment["NMAPDIR"] {
            paths.insert(directory + "/nmap-service-probes", at: 0)
        }
        return paths.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    func load() throws -> SignatureDatabase {
        var database = SignatureDatabase()
        var diagnostics: [LoadDiagnostic] = []
        var nmapFiles = options.nmapDatabases
        if options.useInstalledNmap {
            guard let path = Self.installedNmapDatabase() else {
                throw CLIError.nmapDatabaseNotFound(searched: Self.nmapSearchPaths)
            }
            nmapFiles.insert(path, at: 0)
        }
        let replacesBuiltin = !nmapFiles.isEmpty || options.definitionsPrefix != nil
        if !replacesBuiltin || options.keepBuiltin {
            let builtin = try BuiltinDatabase.load()
            database.merge(builtin.database)
            diagnostics += builtin.diagnostics
        }
        for path in nmapFiles {
            let result = try ServiceProbesLoader.load(path: path)
            database.merge(result.database)
            diagnostics += result.diagnostics
        }
        if let prefix = options.definitionsPrefix {
            let result = try AppdefsLoader.load(prefix: prefix, strict: false)
            database.merge(result.database)
            diagnostics += result.diagnostics
        }
        for diagnostic in diagnostics where options.verbosity > 0 || diagnostic.severity == .error {
            Terminal.standardError("Warning: \(diagnostic)")
        }
        if options.verbosity > 0 {
            print("loaded \(database.probes.count) triggers / \(database.signatureCount) responses"
                  + " / \(database.rpcPrograms.count) rpc programs")
        }
        return database
    }
}
