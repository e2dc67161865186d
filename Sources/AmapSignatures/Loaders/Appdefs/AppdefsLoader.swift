import AmapModel

/// Loads amap 5.4's appdefs files, `PREFIX.trig`, `PREFIX.resp` and `PREFIX.rpc`, as `amap -D PREFIX` does.
///
/// Differences from amap, all on the side of loading what amap loads and saying more about it:
/// - A bad line becomes a `LoadDiagnostic` and is skipped (amap stops with a fatal error); `strict` turns any
///   error into a thrown `SignatureFileError.invalid`.
/// - Lines longer than amap's 1,023-byte buffer are skipped with an error; a last line without a newline is
///   accepted.
/// - Trigger port hints are kept in `Probe.ports` (amap parses and ignores them) and may also be ranges `A-B`.
/// - A response length written `A-B` is read as exactly A, as amap's `atoi` does, with a warning.
/// - A response line that names a trigger no trigger line defines earns a warning (amap prints one too).
public enum AppdefsLoader {
    /// Reads and parses the three files of `prefix`.
    ///
    /// - Parameters:
    ///   - prefix: the path without extension (`/usr/share/amap/appdefs`).
    ///   - strict: throw at the first file with an error instead of skipping the bad lines.
    /// - Returns: triggers in `database.probes` (no signatures of their own), response lines in
    ///   `database.responseSignatures`, RPC programs in `database.rpcPrograms`, and every diagnostic.
    /// - Throws: `.unreadable` when `PREFIX.trig` or `PREFIX.resp` cannot be read (a missing `PREFIX.rpc` is only
    ///   a warning); `.invalid` in strict mode when a file has errors.
    public static func load(prefix: String, strict: Bool = false) throws(SignatureFileError) -> LoadResult {
        let triggerPath = prefix + ".trig"
        let responsePath = prefix + ".resp"
        let rpcPath = prefix + ".rpc"

        let triggers = parseTriggers(bytes: try read(triggerPath), fileName: triggerPath)
        try check(triggers, path: triggerPath, strict: strict)
        let responseBytes = try read(responsePath)
        let responses = AppdefsResponseParser.parse(bytes: responseBytes, fileName: responsePath)
        let responseResult = LoadResult(database: SignatureDatabase(responseSignatures: responses.signatures),
                                        diagnostics: responses.diagnostics)
        try check(responseResult, path: responsePath, strict: strict)

        var database = triggers.database
        database.responseSignatures = responses.signatures
        database.sources = [triggerPath, responsePath]
        var diagnostics = triggers.diagnostics + responses.diagnostics
        diagnostics += unknownTriggerWarnings(responses.references, probes: database.probes, triggerFile: triggerPath)

        switch AppdefsFileReader.read(path: rpcPath) {
        case .success(let bytes):
            let rpc = parseRPC(bytes: bytes, fileName: rpcPath)
            try check(rpc, path: rpcPath, strict: strict)
            database.rpcPrograms = rpc.database.rpcPrograms
            database.sources.append(rpcPath)
            diagnostics += rpc.diagnostics
        case .failure(.missing):
            diagnostics.append(LoadDiagnostic(.warning, at: SourceLocation(file: rpcPath, line: 0),
                                              "no RPC program list; the RPC pass cannot name RPC programs"))
        case .failure(.unreadable(let reason)):
            throw .unreadable(path: rpcPath, reason: reason)
        }
        return LoadResult(database: database, diagnostics: diagnostics)
    }

    /// Parses the text of a trigger file (`.trig`): one probe per line and transport, in file order.
    public static func parseTriggers(bytes: [UInt8], fileName: String) -> LoadResult {
        let parsed = AppdefsTriggerParser.parse(bytes: bytes, fileName: fileName)
        return LoadResult(database: SignatureDatabase(probes: parsed.probes, sources: [fileName]),
                          diagnostics: parsed.diagnostics)
    }

    /// Parses the text of a response file (`.resp`) into response signatures, in file order.
    ///
    /// Trigger names in the lines are not checked here (there are no triggers to check against); `load` does it.
    public static func parseResponses(bytes: [UInt8], fileName: String) -> LoadResult {
        let parsed = AppdefsResponseParser.parse(bytes: bytes, fileName: fileName)
        return LoadResult(database: SignatureDatabase(responseSignatures: parsed.signatures, sources: [fileName]),
                          diagnostics: parsed.diagnostics)
    }

    /// Parses the text of an RPC program list (`.rpc`), in file order.
    public static func parseRPC(bytes: [UInt8], fileName: String) -> LoadResult {
        let parsed = AppdefsRPCParser.parse(bytes: bytes, fileName: fileName)
        return LoadResult(database: SignatureDatabase(rpcPrograms: parsed.programs, sources: [fileName]),
                          diagnostics: parsed.diagnostics)
    }

    private static func read(_ path: String) throws(SignatureFileError) -> [UInt8] {
        switch AppdefsFileReader.read(path: path) {
        case .success(let bytes): return bytes
        case .failure(.missing): throw .unreadable(path: path, reason: "no such file")
        case .failure(.unreadable(let reason)): throw .unreadable(path: path, reason: reason)
        }
    }

    private static func check(_ result: LoadResult, path: String, strict: Bool) throws(SignatureFileError) {
        if strict && !result.errors.isEmpty { throw .invalid(path: path, diagnostics: result.diagnostics) }
    }

    private static func unknownTriggerWarnings(
        _ references: [AppdefsResponseParser.TriggerReference], probes: [Probe], triggerFile: String
    ) -> [LoadDiagnostic] {
        let known = Set(probes.map(\.name))
        return references.filter { !known.contains($0.name) }.map {
            LoadDiagnostic(.warning, at: $0.location,
                           "no trigger in '\(triggerFile)' is named '\($0.name)'; this restriction never matches it")
        }
    }
}
