import AmapModel

/// Parser for `PREFIX.resp`: `NAME:[TRIGGER[,TRIGGER...]]:[PROTO]:[LEN]:REGEX`.
enum AppdefsResponseParser {
    /// A trigger name a response line restricts itself to, and where it was written (for the existence check).
    struct TriggerReference {
        var name: String
        var location: SourceLocation
    }

    /// The signatures of a response file, in file order, and every trigger name they reference.
    static func parse(bytes: [UInt8], fileName: String)
        -> (signatures: [Signature], references: [TriggerReference], diagnostics: [LoadDiagnostic])
    {
        var signatures: [Signature] = []
        var references: [TriggerReference] = []
        let diagnostics = AppdefsFileParser.forEachRecord(in: bytes, fileName: fileName) {
            (record, location, warnings) throws(AppdefsLineError) in
            let name = try record.name(kind: "response")
            let triggers = AppdefsFieldParsers.triggerList(record.fields[1], warnings: &warnings)
            let (transports, protocolWarning) = try record.transports()
            if let protocolWarning { warnings.append(protocolWarning) }
            let length = try AppdefsFieldParsers.length(record.fields[3], warnings: &warnings)
            let pattern = try compile(record.rest, column: record.restColumn, warnings: &warnings)
            signatures.append(Signature(service: name, pattern: pattern, lengthRange: length,
                                        triggerNames: triggers?.map(\.0), transports: transports,
                                        location: location))
            for (trigger, column) in triggers ?? [] {
                var at = location
                at.column = column
                references.append(TriggerReference(name: trigger, location: at))
            }
        }
        return (signatures, references, diagnostics)
    }

    /// Compiles field 5 with amap's flags (MULTILINE, CASELESS, DOTALL); it must not be empty.
    private static func compile(_ source: ArraySlice<UInt8>, column: Int, warnings: inout [AppdefsLineWarning])
        throws(AppdefsLineError) -> CompiledPattern
    {
        guard !source.isEmpty else {
            throw AppdefsLineError(column: column, "missing regex after the fourth ':' (use '.' to match anything)")
        }
        do {
            return try CompiledPattern(Array(source), options: .amap, rejectEmptyMatch: true)
        } catch .matchesEmptyString {
            warnings.append(AppdefsLineWarning(
                column: column, "the regex can match the empty string, so it matches every response it is tried on"))
        } catch .compileFailed(let message, let offset) {
            throw AppdefsLineError(column: column + offset, "bad regex: \(message)")
        } catch {
            throw AppdefsLineError(column: column, error.description)
        }
        do {
            return try CompiledPattern(Array(source), options: .amap)
        } catch {
            throw AppdefsLineError(column: column, error.description)
        }
    }
}
