import Foundation

/// swift-amap's own signature database: the `*.probes` files under `Resources/signatures`, written in the
/// nmap-service-probes grammar and loaded in file-name order.
///
/// Three extensions, all invisible to nmap (which skips `#` lines), so nmap itself can read these files:
/// - `#@ harmful` on a line after a `Probe` marks that probe as amap-harmful (`-H` skips it).
/// - `#@ any-reply-port` on a line after a UDP `Probe` marks a probe whose answer comes from another port of the
///   target (TFTP's new transfer identifier, RFC 1350), so the engine sends it from an unconnected socket.
/// - A `Probe` repeated in a later file with the same name, transport and payload is the same probe: its match
///   lines and port lists are added to the first definition. This lets each protocol live in a file of its own.
///   The same name with another payload is an error.
public enum BuiltinDatabase {
    /// The folder of the shipped files inside the module's resource bundle.
    public static var directory: URL? {
        // Foundation's resourceURL differs by platform (Linux appends "Resources" to the bundle path); the copied
        // folder is itself called Resources, so look in the likely places.
        let roots = [Bundle.module.resourceURL, Bundle.module.bundleURL].compactMap { $0 }
        let candidates = roots.flatMap { root in
            ["Resources/signatures", "signatures"].map { root.appendingPathComponent($0, isDirectory: true) }
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Loads the shipped database.
    public static func load(strict: Bool = false) throws(SignatureFileError) -> LoadResult {
        guard let directory else {
            throw .unreadable(path: "<built-in>", reason: "the resource bundle with the built-in database is missing")
        }
        return try load(directory: directory, strict: strict)
    }

    /// Loads every `*.probes` file in `directory`, in file-name order, merging repeated probes, and the RPC program
    /// table beside the folder (`rpc-programs.txt`, read by the RPC pass).
    public static func load(directory: URL, strict: Bool = false) throws(SignatureFileError) -> LoadResult {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".probes") }
                .sorted()
        } catch {
            throw .unreadable(path: directory.path, reason: "\(error.localizedDescription)")
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for name in names {
            let path = directory.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadable(path: path, reason: "cannot read the file")
            }
            files.append((name, [UInt8](data)))
        }
        var result = try load(files: files, strict: strict)
        let table = directory.deletingLastPathComponent().appendingPathComponent(RPCProgramTable.fileName)
        if let data = FileManager.default.contents(atPath: table.path) {
            result.database.rpcPrograms += RPCProgramTable.parse([UInt8](data), fileName: RPCProgramTable.fileName)
        }
        return result
    }

    /// Loads files given as bytes (for tests), in the order given.
    public static func load(files: [(name: String, bytes: [UInt8])], strict: Bool = false)
        throws(SignatureFileError) -> LoadResult
    {
        var database = SignatureDatabase()
        var diagnostics: [LoadDiagnostic] = []
        for file in files {
            let harmfulLines = markedProbeLines(in: file.bytes, mark: "#@ harmful")
            let anyReplyPortLines = markedProbeLines(in: file.bytes, mark: "#@ any-reply-port")
            let aliases = amapAliasLines(in: file.bytes)
            let result = try ServiceProbesLoader.load(bytes: file.bytes, fileName: file.name, strict: strict)
            diagnostics += result.diagnostics
            var loaded = result.database
            for index in loaded.probes.indices {
                let line = loaded.probes[index].location.line
                if harmfulLines.contains(line) { loaded.probes[index].isHarmful = true }
                guard anyReplyPortLines.contains(line) else { continue }
                if loaded.probes[index].transport == .udp {
                    loaded.probes[index].acceptsAnyReplyPort = true
                } else {
                    diagnostics.append(LoadDiagnostic(.error, at: loaded.probes[index].location,
                                                      "#@ any-reply-port applies to UDP probes only"))
                }
            }
            for index in loaded.probes.indices {
                loaded.probes[index].amapAliases = aliases[loaded.probes[index].location.line] ?? []
            }
            merge(loaded, into: &database, diagnostics: &diagnostics)
        }
        if strict, diagnostics.contains(where: { $0.severity == .error }) {
            throw .invalid(path: "<built-in>", diagnostics: diagnostics)
        }
        return LoadResult(database: database, diagnostics: diagnostics)
    }

    /// Line numbers of the `Probe` lines that a `mark` line (`#@ harmful`) follows, before the next `Probe`.
    static func markedProbeLines(in bytes: [UInt8], mark: String) -> Set<Int> {
        var result: Set<Int> = []
        var lastProbeLine: Int?
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.starts(with: Array("Probe ".utf8)) {
                lastProbeLine = lineNumber
            } else if let probeLine = lastProbeLine,
                String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces) == mark
            {
                result.insert(probeLine)
            }
        }
        return result
    }

    /// The amap trigger names of `#@ amap NAME…` lines, by the line number of the `Probe` line they follow.
    static func amapAliasLines(in bytes: [UInt8]) -> [Int: [String]] {
        var result: [Int: [String]] = [:]
        var lastProbeLine: Int?
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("Probe ") {
                lastProbeLine = lineNumber
            } else if let probeLine = lastProbeLine, text.hasPrefix(amapAliasMarker) {
                let names = text.dropFirst(amapAliasMarker.count).split(separator: " ").map(String.init)
                result[probeLine, default: []] += names
            }
        }
        return result
    }

    /// The comment that gives a probe its amap trigger names (nmap reads it as a comment).
    static let amapAliasMarker = "#@ amap "

    static func merge(_ other: SignatureDatabase, into database: inout SignatureDatabase,
                      diagnostics: inout [LoadDiagnostic]) {
        for probe in other.probes {
            guard let index = database.probes.firstIndex(where: {
                $0.name == probe.name && $0.transport == probe.transport
            }) else {
                database.probes.append(probe)
                continue
            }
            guard database.probes[index].payload == probe.payload else {
                diagnostics.append(LoadDiagnostic(
                    .error, at: probe.location,
                    "probe \(probe.transport.rawValue.uppercased()) \(probe.name) was defined at "
                        + "\(database.probes[index].location) with another payload; rename one of them"))
                continue
            }
            database.probes[index].signatures += probe.signatures
            database.probes[index].ports.formUnion(probe.ports)
            database.probes[index].sslPorts.formUnion(probe.sslPorts)
            database.probes[index].isHarmful = database.probes[index].isHarmful || probe.isHarmful
            database.probes[index].acceptsAnyReplyPort = database.probes[index].acceptsAnyReplyPort
                || probe.acceptsAnyReplyPort
            for alias in probe.amapAliases where !database.probes[index].amapAliases.contains(alias) {
                database.probes[index].amapAliases.append(alias)
            }
            for name in probe.fallbackNames where !database.probes[index].fallbackNames.contains(name) {
                database.probes[index].fallbackNames.append(name)
            }
        }
        database.responseSignatures += other.responseSignatures
        database.rpcPrograms += other.rpcPrograms
        database.excludedTCPPorts.formUnion(other.excludedTCPPorts)
        database.excludedUDPPorts.formUnion(other.excludedUDPPorts)
        database.sources += other.sources
    }
}
