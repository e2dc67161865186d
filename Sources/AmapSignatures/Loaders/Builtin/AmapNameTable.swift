import Foundation

/// `Resources/amap-names.txt`: the built-in database's service names mapped to amap 5.4's protocol IDs
/// (`domain` → `dns`, `postgresql` → `postgres`), for reports that keep amap's IDs (`--names amap`).
public enum AmapNameTable {
    /// The file's name beside the `signatures` folder.
    public static let fileName = "amap-names.txt"

    /// The shipped table; empty when the resource bundle has no such file.
    public static func loadBuiltin() -> [String: String] {
        guard let signatures = BuiltinDatabase.directory else { return [:] }
        let url = signatures.deletingLastPathComponent().appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// The `name id` pairs of `text` (`#` comments and blank lines skipped; a later line for a name wins).
    public static func parse(_ text: String) -> [String: String] {
        var table: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard fields.count == 2 else { continue }
            table[String(fields[0])] = String(fields[1])
        }
        return table
    }
}
