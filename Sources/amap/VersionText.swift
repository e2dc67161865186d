import AmapReport
import AmapSignatures
import Foundation

/// What `amap --version` prints: the program's version and the built-in database's.
///
/// The database has no version number of its own; its version is a fingerprint of its content (FNV-1a, 64 bits, over
/// every `*.probes` file's name and bytes in load order), so two builds with the same signatures print the same one
/// and any change to a signature file changes it.
enum VersionText {
    /// `amap 5.4-swift (swift-amap)`.
    static var program: String {
        let branding = ReportBranding.swiftAmap
        return "\(branding.program) \(branding.version) (\(branding.resource))"
    }

    /// The program line, then `built-in database: <fingerprint> (N files, P probes, S signatures)`.
    static func full() -> String {
        program + "\nbuilt-in database: " + database() + "\n"
    }

    static func database() -> String {
        guard let directory = BuiltinDatabase.directory,
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter({ $0.hasSuffix(".probes") }).sorted()
        else { return "missing (the resource bundle is not next to the executable)" }
        var hash = FNV1a64()
        for name in names {
            hash.add(Array(name.utf8) + [0])
            hash.add(Array(FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) ?? Data()))
            hash.add([0])
        }
        var text = "\(hash.hex) (\(names.count) files"
        if let loaded = try? BuiltinDatabase.load() {
            text += ", \(loaded.database.probes.count) probes, \(loaded.database.signatureCount) signatures"
        }
        return text + ")"
    }

    /// Whether the arguments ask for the version: `--version` before any `--`.
    static func isRequested(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains("--version")
    }
}

/// FNV-1a, 64 bits (Fowler, Noll, Vo; the offset basis and prime of draft-eastlake-fnv): a content fingerprint, not a
/// defence against anyone crafting collisions.
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* Self.prime
        }
    }

    /// 16 lowercase hexadecimal digits.
    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
