import AmapTestSupport
import Foundation
import Testing

/// `amap --shard i/N` end to end, against the loopback daemons of scripts/daemons.sh.
@Suite(.serialized) struct ShardCommandLineTests {
    /// The endpoints of the `Port on … is OPEN` lines of a `-P` run.
    static func openEndpoints(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("Port on "), line.hasSuffix(" is OPEN") else { return nil }
            return String(line.dropFirst("Port on ".count).dropLast(" is OPEN".count))
        }
    }

    /// The table's TCP rows on 127.0.0.1 (open, silent and closed).
    static let localTCP = DaemonTable.rows(address: "127.0.0.1", proto: "tcp")
    /// Those ports as one argument.
    static let ports = DaemonTable.portArguments(localTCP).joined(separator: ",")

    @Test(DaemonAvailability.needs(localTCP))
    func threeShardsTogetherScanWhatOneRunScans() async throws {
        try DaemonAvailability.require(Self.localTCP)
        let ports = Self.ports
        let whole = try await AmapExecutable.run(["-P", "127.0.0.1", ports])
        #expect(whole.status == 0)
        let expected = Self.openEndpoints(whole.stdout)
        // Every open row of the table is found by the unsharded run.
        #expect(expected.count >= Self.localTCP.filter { $0.state != "closed" }.count)
        var union: [String] = []
        var sizes: [Int] = []
        for index in 1...3 {
            let shard = try await AmapExecutable.run(["-P", "--shard", "\(index)/3", "127.0.0.1", ports])
            #expect(shard.status == 0)
            let found = Self.openEndpoints(shard.stdout)
            sizes.append(found.count)
            union += found
        }
        #expect(union.count == expected.count)  // no endpoint scanned by two shards
        #expect(Set(union) == Set(expected))  // and none left out
        #expect(sizes.allSatisfy { $0 > 0 })
    }

    @Test func badShardsAndSeedsAreRefusedWithTheReason() async throws {
        let cases: [([String], String)] = [
            (["--shard", "4/3"], "between 1 and 3"),
            (["--shard", "1/0"], "at least 1"),
            (["--shard", "half"], "write i/N"),
            (["--seed", "0xZZ"], "invalid seed"),
            (["--seed=-1"], "invalid seed"),
        ]
        for (arguments, message) in cases {
            let result = try await AmapExecutable.run(arguments + ["-P", "127.0.0.1", "1"])
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test(DaemonAvailability.needs(localTCP))
    func sameSeedSameSplitAcrossRuns() async throws {
        try DaemonAvailability.require(Self.localTCP)
        // Output order is completion order, so compare each shard's set: that is what machines must agree on.
        let ports = Self.ports
        let first = try await AmapExecutable.run(["-P", "--shard", "2/4", "--seed", "77", "127.0.0.1", ports])
        let again = try await AmapExecutable.run(["-P", "--shard", "2/4", "--seed", "0x4d", "127.0.0.1", ports])
        #expect(Set(Self.openEndpoints(first.stdout)) == Set(Self.openEndpoints(again.stdout)))
    }
}
