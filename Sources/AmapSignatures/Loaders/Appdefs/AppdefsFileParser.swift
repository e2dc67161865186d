import AmapModel

/// The line loop shared by the three appdefs files: lengths, comments, records, and turning line problems into
/// diagnostics. Each file's parser supplies what to do with one record.
enum AppdefsFileParser {
    /// Runs `handle` on every record line of `bytes`; returns the diagnostics, in line order.
    ///
    /// A line whose handler throws is skipped; its warnings are kept.
    static func forEachRecord(
        in bytes: [UInt8],
        fileName: String,
        _ handle: (AppdefsRecord, SourceLocation, inout [AppdefsLineWarning]) throws(AppdefsLineError) -> Void
    ) -> [LoadDiagnostic] {
        var diagnostics: [LoadDiagnostic] = []
        for line in AppdefsLine.split(bytes) {
            func at(_ column: Int) -> SourceLocation {
                SourceLocation(file: fileName, line: line.number, column: column)
            }
            guard line.lengthWithTerminator <= AppdefsLine.maximumLength else {
                diagnostics.append(LoadDiagnostic(
                    .error, at: at(AppdefsLine.maximumLength),
                    "line is \(line.lengthWithTerminator) bytes long with its line end; amap reads at most "
                        + "\(AppdefsLine.maximumLength), so the line is skipped"))
                continue
            }
            if line.isBlankOrComment { continue }
            var warnings: [AppdefsLineWarning] = []
            do throws(AppdefsLineError) {
                guard let record = try AppdefsRecord.split(line) else {
                    diagnostics.append(LoadDiagnostic(
                        .warning, at: at(1), "line has no ':' so it is not a record; ignored (use '#' for comments)"))
                    continue
                }
                try handle(record, at(1), &warnings)
                diagnostics += warnings.map { LoadDiagnostic(.warning, at: at($0.column), $0.message) }
            } catch {
                diagnostics += warnings.map { LoadDiagnostic(.warning, at: at($0.column), $0.message) }
                diagnostics.append(LoadDiagnostic(.error, at: at(error.column), error.message + "; line skipped"))
            }
        }
        return diagnostics
    }
}
