import AmapEngine
import AmapSignatures
import Foundation

/// Which signature files a scan uses: the built-in database unless nmap's files or amap's appdefs replace it
/// (``keepsBuiltin`` keeps it alongside them). The `amap` command's `--nmap`, `--nmap-db`, `-D` and `--builtin`.
public struct DatabaseChoice: Sendable, Hashable {
    /// Use the `nmap-service-probes` that nmap installed (found by ``installedNmapDatabase()``).
    public var usesInstalledNmap: Bool
    /// `nmap-service-probes` files to load, in order.
    public var nmapFiles: [String]
    /// An amap appdefs prefix: `PREFIX.trig`, `PREFIX.resp`, `PREFIX.rpc`.
    public var amapPrefix: String?
    /// Keep the built-in database when other files are chosen.
    public var keepsBuiltin: Bool

    /// The built-in database only.
    public static let builtin = DatabaseChoice()

    /// Creates a choice; with no arguments, the built-in database.
    public init(
        usesInstalledNmap: Bool = false,
        nmapFiles: [String] = [],
        amapPrefix: String? = nil,
        keepsBuiltin: Bool = false
    ) {
        self.usesInstalledNmap = usesInstalledNmap
        self.nmapFiles = nmapFiles
        self.amapPrefix = amapPrefix
        self.keepsBuiltin = keepsBuiltin
    }

    /// True when only amap's files are used, so amap's rules apply (every matching response is reported).
    public var usesAmapSemantics: Bool {
        amapPrefix != nil && nmapFiles.isEmpty && !usesInstalledNmap && !keepsBuiltin
    }

    /// `configuration` with this choice's matching rules: amap's (every distinct identification) when only amap's
    /// files are used; nmap's verdicts (no cross-probe evidence, `echo` for an answer equal to the probe) when
    /// nmap's database is among the files; else as given.
    public func applying(to configuration: ScanConfiguration) -> ScanConfiguration {
        var configuration = configuration
        if usesAmapSemantics {
            configuration.reportAllMatches = true
            configuration.rpcNaming = .amap
        }
        if usesNmapDatabase { configuration.nmapVerdicts = true }
        return configuration
    }

    /// True when nmap's `nmap-service-probes` is among the files: verdicts are then nmap's.
    public var usesNmapDatabase: Bool {
        usesInstalledNmap || !nmapFiles.isEmpty
    }

    /// Where nmap installs its database, in the order nmap itself looks (after `$NMAPDIR`).
    public static let nmapSearchPaths = [
        "/usr/share/nmap/nmap-service-probes",
        "/usr/local/share/nmap/nmap-service-probes",
        "/opt/homebrew/share/nmap/nmap-service-probes",
        "/opt/local/share/nmap/nmap-service-probes",
    ]

    /// The first readable `nmap-service-probes` of `$NMAPDIR` and ``nmapSearchPaths``.
    public static func installedNmapDatabase() -> String? {
        var paths = nmapSearchPaths
        if let directory = ProcessInfo.processInfo.environment["NMAPDIR"] {
            paths.insert(directory + "/nmap-service-probes", at: 0)
        }
        return paths.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Loads and merges the chosen files: built-in, then nmap's, then amap's. Bad lines are skipped and returned as
    /// diagnostics.
    ///
    /// - Throws: ``DatabaseChoiceError`` when nmap's database is asked for but not installed, or
    ///   `SignatureFileError` when a file cannot be read.
    public func load() throws -> LoadResult {
        var database = SignatureDatabase()
        var diagnostics: [LoadDiagnostic] = []
        var nmapFiles = self.nmapFiles
        if usesInstalledNmap {
            guard let path = Self.installedNmapDatabase() else {
                throw DatabaseChoiceError.nmapDatabaseNotFound(searched: Self.nmapSearchPaths)
            }
            nmapFiles.insert(path, at: 0)
        }
        let replacesBuiltin = !nmapFiles.isEmpty || amapPrefix != nil
        if !replacesBuiltin || keepsBuiltin {
            let builtin = try BuiltinDatabase.load()
            database.merge(builtin.database)
            diagnostics += builtin.diagnostics
        }
        for path in nmapFiles {
            let result = try ServiceProbesLoader.load(path: path)
            database.merge(result.database)
            diagnostics += result.diagnostics
        }
        if let amapPrefix {
            let result = try AppdefsLoader.load(prefix: amapPrefix, strict: false)
            database.merge(result.database)
            diagnostics += result.diagnostics
        }
        return LoadResult(database: database, diagnostics: diagnostics)
    }
}

/// Why a ``DatabaseChoice`` could not be loaded.
public enum DatabaseChoiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// nmap's database was asked for, but no file was found in these places (nor in `$NMAPDIR`).
    case nmapDatabaseNotFound(searched: [String])

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .nmapDatabaseNotFound(let searched):
            return "--nmap: no nmap-service-probes found (looked in $NMAPDIR and \(searched.joined(separator: ", "))); "
                + "install nmap ('apt-get install nmap-common') or give the file with --nmap-db FILE"
        }
    }
}
