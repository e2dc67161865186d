import AmapSignatures
import Testing

/// Any bytes at all must load into diagnostics, never a crash or a hang.
@Suite struct AppdefsRobustnessTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Bytes that matter to the parsers, drawn more often than others.
    private static let interesting = Array(#":,"\0x-#tub 01\#t\#r\#n\\()[]*+?"#.utf8) + [0, 0xFF]

    private func randomFile(_ generator: inout SplitMix) -> [UInt8] {
        let seeds = [#"n:80:tcp:0:"a\r\n""#, "n::u:1:0x0a0b", "r:n:b:1,9:^a(b)", "p:::0:100000"]
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 1...12, using: &generator) {
            var line = Array(seeds[Int.random(in: 0..<seeds.count, using: &generator)].utf8)
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                let byte = Bool.random(using: &generator)
                    ? Self.interesting[Int.random(in: 0..<Self.interesting.count, using: &generator)]
                    : UInt8.random(in: 0...255, using: &generator)
                let position = Int.random(in: 0...line.count, using: &generator)
                if Bool.random(using: &generator) || line.isEmpty {
                    line.insert(byte, at: position)
                } else {
                    line[min(position, line.count - 1)] = byte
                }
            }
            bytes += line + [UInt8(ascii: "\n")]
        }
        return bytes
    }

    @Test func mutatedFilesNeverCrash() {
        var generator = SplitMix(state: 0x5EED)
        var loaded = 0
        var rejected = 0
        for _ in 0..<1_500 {
            let bytes = randomFile(&generator)
            for result in [
                AppdefsLoader.parseTriggers(bytes: bytes, fileName: "f.trig"),
                AppdefsLoader.parseResponses(bytes: bytes, fileName: "f.resp"),
                AppdefsLoader.parseRPC(bytes: bytes, fileName: "f.rpc"),
            ] {
                let database = result.database
                loaded += database.probes.count + database.responseSignatures.count + database.rpcPrograms.count
                rejected += result.errors.count
                for diagnostic in result.diagnostics {
                    #expect(diagnostic.location.line >= 1)
                    #expect(diagnostic.location.column >= 1)
                    #expect(diagnostic.location.column <= AppdefsLineLimit.bytes + 1)
                }
            }
        }
        // Both outcomes happen, so the generator really exercises the parsers.
        #expect(loaded > 100)
        #expect(rejected > 100)
    }

    @Test func pureNoiseNeverCrashes() {
        var generator = SplitMix(state: 42)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...3_000, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            _ = AppdefsLoader.parseTriggers(bytes: bytes, fileName: "noise")
            _ = AppdefsLoader.parseResponses(bytes: bytes, fileName: "noise")
            _ = AppdefsLoader.parseRPC(bytes: bytes, fileName: "noise")
        }
    }
}

private enum AppdefsLineLimit {
    static let bytes = 1_023
}
