import AmapModel
import AmapSignatures
import Testing

/// Responses that must never be identified by the built-in database, whatever probe drew them: a port that sends our
/// own probe back (echo), a port that answers every line with the same fixed text, and random bytes.
@Suite struct BuiltinFalsePositiveTests {
    /// Fixed texts that toy or misconfigured services send to anything.
    static let fixedTexts: [[UInt8]] = [
        Array("hello\r\n".utf8), Array("hello\n".utf8), Array("OK\r\n".utf8), Array("ERROR\r\n".utf8),
        Array("\r\n".utf8), [0x00], [0x00, 0x00, 0x00, 0x00], Array(repeating: 0x41, count: 64),
    ]

    /// A small deterministic generator (SplitMix64), so that a failure names bytes that can be reproduced.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    static func matches(_ response: [UInt8], probe: Probe, matcher: NmapMatcher) -> [Identification] {
        matcher.identify(response, probe: probe, transport: probe.transport, tunnelled: false)
    }

    @Test func echoOfAnyProbeIsNotIdentified() throws {
        let database = try BuiltinDatabase.load().database
        let matcher = NmapMatcher(database: database)
        var found: [String] = []
        for probe in database.probes where !probe.payload.isEmpty {
            // The whole payload, twice (a line-echo service), and its first line.
            let firstLine = Array(probe.payload.prefix { $0 != 0x0A }) + [0x0A]
            for echo in [probe.payload, probe.payload + probe.payload, firstLine] {
                if let hit = Self.matches(echo, probe: probe, matcher: matcher).first {
                    found.append("\(probe.name)/\(probe.transport): echo matched \(hit.evidence.signature)")
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func fixedTextAnswersAreNotIdentified() throws {
        let database = try BuiltinDatabase.load().database
        let matcher = NmapMatcher(database: database)
        var found: [String] = []
        for probe in database.probes {
            for text in Self.fixedTexts {
                if let hit = Self.matches(text, probe: probe, matcher: matcher).first, !hit.isSoft {
                    found.append("\(probe.name)/\(probe.transport): \(text.prefix(16)) matched \(hit.evidence.signature)")
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func randomBytesAreNotIdentified() throws {
        let database = try BuiltinDatabase.load().database
        let matcher = NmapMatcher(database: database)
        var generator = SplitMix64(state: 0x616D_6170)
        var found: [String] = []
        for probe in database.probes {
            for length in [1, 2, 8, 64, 512] {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                if let hit = Self.matches(bytes, probe: probe, matcher: matcher).first, !hit.isSoft {
                    found.append("\(probe.name)/\(probe.transport): \(length) random bytes matched \(hit.evidence.signature)")
                }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }
}
