import AmapSignatures
import Foundation

extension DatabaseChoice {
    /// The files ``load()`` reads, in its order: the built-in `*.probes` files (unless replaced), nmap's, then
    /// amap's `PREFIX.trig`, `PREFIX.resp` and `PREFIX.rpc` (those that exist). For the run record, which names each
    /// with its SHA-256, so a result can be traced to the exact signatures that produced it.
    public func sourceFiles() -> [String] {
        var files: [String] = []
        var nmapFiles = self.nmapFiles
        if usesInstalledNmap, let path = Self.installedNmapDatabase() { nmapFiles.insert(path, at: 0) }
        let replacesBuiltin = !nmapFiles.isEmpty || amapPrefix != nil
        if !replacesBuiltin || keepsBuiltin, let directory = BuiltinDatabase.directory {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            files += names.filter { $0.hasSuffix(".probes") }.sorted().map {
                directory.appendingPathComponent($0).path
            }
        }
        files += nmapFiles
        if let amapPrefix {
            files += [".trig", ".resp", ".rpc"].map { amapPrefix + $0 }.filter {
                FileManager.default.fileExists(atPath: $0)
            }
        }
        return files
    }
}
