/// Loads nmap's `nmap-service-probes` format into the shared model.
///
/// Every directive of the format is understood (Exclude, Probe, ports, sslports, rarity, fallback, totalwaitms,
/// tcpwrappedms, match, softmatch). Where nmap stops at the first bad line, this loader reports the line with its
/// file, line, column and what was expected, skips it, and goes on; `strict` turns any error into a thrown
/// `SignatureFileError.invalid` listing them all. The file is read as bytes: no encoding is assumed.
public enum ServiceProbesLoader {
    /// Loads the file at `path`.
    ///
    /// - Parameters:
    ///   - path: the file, e.g. `/usr/share/nmap/nmap-service-probes`.
    ///   - strict: throw if any line has an error, instead of skipping it.
    /// - Throws: `.unreadable` if the file cannot be read; `.invalid` in strict mode if a line is bad.
    public static func load(path: String, strict: Bool = false) throws(SignatureFileError) -> LoadResult {
        let bytes = try ServiceProbesFileReader.read(path: path)
        return try load(bytes: bytes, fileName: path, strict: strict)
    }

    /// Loads a file's contents; `fileName` names it in diagnostics and in `SignatureDatabase.sources`.
    public static func load(bytes: [UInt8], fileName: String, strict: Bool = false) throws(SignatureFileError)
        -> LoadResult
    {
        var parser = ServiceProbesParser(fileName: fileName)
        let result = parser.parse(bytes)
        if strict, !result.errors.isEmpty {
            throw .invalid(path: fileName, diagnostics: result.diagnostics)
        }
        return result
    }
}
