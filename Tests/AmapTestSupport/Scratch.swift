import Foundation

/// A fresh temporary directory for one test's files.
public struct Scratch: Sendable {
    /// The directory.
    public let directory: URL

    /// Creates `amap-LABEL-<uuid>` under the system's temporary directory.
    public init(_ label: String = "test") throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("amap-\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The URL of `name` in the directory.
    public func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Writes `text` to `name` and returns its URL.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Data(text.utf8))
    }

    /// Writes `data` to `name` and returns its URL.
    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> URL {
        let url = file(name)
        try data.write(to: url)
        return url
    }

    /// The text of `name`.
    public func read(_ name: String) throws -> String {
        try String(contentsOf: file(name), encoding: .utf8)
    }

    /// Deletes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
