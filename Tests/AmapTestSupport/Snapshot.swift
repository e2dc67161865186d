import Foundation

/// Text compared with a file checked in next to the tests (`Snapshots/NAME` beside the test file), as
/// swift-argument-parser checks its help and manual output. `AMAP_UPDATE_SNAPSHOTS=1` rewrites the file instead.
public enum Snapshot {
    /// The difference between `text` and the snapshot `name`, or nil when they are equal (or the snapshot was
    /// just written because `AMAP_UPDATE_SNAPSHOTS=1`).
    ///
    /// - Parameter testFile: the calling test's `#filePath`; the snapshot lives in `Snapshots/` next to it.
    public static func mismatch(_ text: String, name: String, testFile: String = #filePath) throws -> String? {
        let url = URL(fileURLWithPath: testFile).deletingLastPathComponent()
            .appendingPathComponent("Snapshots").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["AMAP_UPDATE_SNAPSHOTS"] == "1" {
            try Data(text.utf8).write(to: url)
            return nil
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        guard expected != text else { return nil }
        let got = text.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        let shown = { (lines: [Substring]) in line < lines.count ? String(lines[line]) : "<end>" }
        return "\(name) differs from line \(line + 1): expected \"\(shown(want))\", got \"\(shown(got))\" "
            + "(AMAP_UPDATE_SNAPSHOTS=1 rewrites \(url.path))"
    }
}
