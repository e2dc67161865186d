import AmapKit

/// Which signature files a scan uses (see ``DatabaseChoice``), loaded with amap's messages: errors always,
/// warnings and counts under `-v`.
struct DatabaseSelection {
    let options: ScanOptions

    var choice: DatabaseChoice {
        DatabaseChoice(
            usesInstalledNmap: options.useInstalledNmap,
            nmapFiles: options.nmapDatabases,
            amapPrefix: options.definitionsPrefix,
            keepsBuiltin: options.keepBuiltin
        )
    }

    func load() throws -> SignatureDatabase {
        let result = try choice.load()
        for diagnostic in result.diagnostics where options.verbosity > 0 || diagnostic.severity == .error {
            Terminal.standardError("Warning: \(diagnostic)")
        }
        let database = result.database
        if options.verbosity > 0 {
            print("loaded \(database.probes.count) triggers / \(database.signatureCount) responses"
                  + " / \(database.rpcPrograms.count) rpc programs")
        }
        return database
    }
}
