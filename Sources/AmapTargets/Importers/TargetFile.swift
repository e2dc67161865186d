import AmapModel
import Foundation

/// Reads an import file from disk: the only I/O in this module, kept apart from the parsers.
public enum TargetFile {
    /// Reads the file at `path` and imports it with ``TargetImporter/parse(_:format:options:)``.
    public static func read(
        path: String,
        format: ImportFormat? = nil,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        try load(path: path, format: format, options: options).endpoints
    }

    /// Reads the file at `path` with ``TargetImporter/read(_:format:options:)``: the endpoints and the warnings.
    public static func load(
        path: String,
        format: ImportFormat? = nil,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> ImportResult {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try TargetImporter.read(bytes: data, format: format, options: options)
    }
}
