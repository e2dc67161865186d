import AmapModel
import Foundation
import Testing

/// `SHA256` against the `sha256sum` command on inputs that cross the padding and block boundaries.
@Suite struct SHA256Tests {
    @Test(arguments: [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1_000, 100_003])
    func agreesWithSha256sum(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(SHA256.hex(bytes) == String(printed.prefix(64)))
    }
}
