import Foundation

/// The package root, found from this file's path (Tests/AmapTestSupport/PackageRoot.swift).
public enum PackageRoot {
    /// The folder holding Package.swift.
    public static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
