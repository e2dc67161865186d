import AmapModel
import Testing

@testable import AmapTargets

@Suite struct ShardTests {
    @Test func parsesShardSpecs() throws {
        let shard = try Shard(parsing: "2/5")
        #expect(shard.index == 2 && shard.count == 5)
        #expect(shard.description == "2/5")
        #expect(Shard.whole == (try Shard(parsing: "1/1")))
    }

    @Test func refusesBadShardSpecs() {
        #expect(throws: ShardError.indexOutOfRange(index: 0, count: 4)) { try Shard(parsing: "0/4") }
        #expect(throws: ShardError.indexOutOfRange(index: 5, count: 4)) { try Shard(parsing: "5/4") }
        #expect(throws: ShardError.zeroCount(text: "1/0")) { try Shard(parsing: "1/0") }
        for text in ["1", "1/", "/2", "a/b", "1/2/3", "-1/2", "1 /2", "99999999999/99999999999"] {
            #expect(throws: ShardError.malformed(text: text)) { try Shard(parsing: text) }
        }
        #expect(ShardError.indexOutOfRange(index: 5, count: 4).description.contains("between 1 and 4"))
    }
}

@Suite struct IndexPermutationTests {
    @Test(arguments: [1, 2, 3, 4, 5, 17, 64, 100, 1000, 4097])
    func isABijection(count: Int) {
        for seed: UInt64 in [0, 1, 0xDEAD_BEEF] {
            let permutation = IndexPermutation(count: UInt64(count), seed: seed)
            let images = Set((0..<UInt64(count)).map { permutation($0) })
            #expect(images.count == count)
            #expect(images.allSatisfy { $0 < UInt64(count) })
        }
    }

    @Test func seedsChangeTheOrderAndSameSeedRepeatsIt() {
        let first = (0..<1000).map { IndexPermutation(count: 1000, seed: 1)(UInt64($0)) }
        let again = (0..<1000).map { IndexPermutation(count: 1000, seed: 1)(UInt64($0)) }
        let other = (0..<1000).map { IndexPermutation(count: 1000, seed: 2)(UInt64($0)) }
        #expect(first == again)
        #expect(first != other)
        #expect(first != Array(0..<1000))
    }

    @Test func valuesAreFixedAcrossBuildsAndMachines() {
        // Shards run on different machines must agree, so the permutation is pure fixed-width
        // arithmetic. These values were computed by a separate 20-line Python model of the
        // construction documented on IndexPermutation (SplitMix64-keyed 6-round Feistel over
        // 2^(2h), cycle walking). If they change, shards from different builds no longer fit.
        let permutation = IndexPermutation(count: 1_000_000, seed: 42)
        #expect((0..<4).map { permutation(UInt64($0)) } == [271_164, 860_452, 611_936, 139_971])
    }

    @Test func worksOnTheLargestDomains() {
        let permutation = IndexPermutation(count: .max, seed: 7)
        let images = (0..<100).map { permutation(UInt64($0)) }
        #expect(Set(images).count == 100)
        #expect(images.allSatisfy { $0 < .max })
    }
}

@Suite struct ShardingTests {
    private static func job() throws -> ScanJob {
        try ScanJob(
            groups: PositionalArguments.split(["127.0.0.0/28", "::1", "22,80-83", "U:53", "localhost", "7"]),
            endpoints: [Endpoint(host: "192.0.2.1", port: 9, transport: .udp)]
        )
    }

    @Test(arguments: [1, 2, 3, 7, 16, 200])
    func shardsPartitionTheJob(shardCount: Int) throws {
        let scan = try Self.job()
        let whole = Array(scan.endpoints)
        #expect(Set(whole).count == whole.count)
        for seed: UInt64 in [0, 99, 0xFFFF_FFFF_FFFF_FFFF] {
            var union: [Endpoint] = []
            for index in 1...shardCount {
                let shard = scan.endpoints(in: try Shard(index: index, count: shardCount), seed: seed)
                let members = Array(shard)
                #expect(UInt64(members.count) == shard.count)
                // Balanced: sizes differ by at most one.
                #expect(abs(members.count - whole.count / shardCount) <= 1)
                union += members
            }
            #expect(union.count == whole.count)  // no endpoint in two shards
            #expect(Set(union) == Set(whole))  // every endpoint in one
        }
    }

    @Test func sameSeedGivesTheSameSplitDifferentSeedAnother() throws {
        let scan = try Self.job()
        let shard = try Shard(index: 2, count: 3)
        let first = Array(scan.endpoints(in: shard, seed: 5))
        let second = Array(scan.endpoints(in: shard, seed: 5))
        let other = Array(scan.endpoints(in: shard, seed: 6))
        #expect(first == second)
        #expect(Set(first) != Set(other))
    }

    @Test func wholeShardIsAShuffleOfTheJob() throws {
        let scan = try Self.job()
        let shuffled = Array(scan.endpoints(in: .whole, seed: 3))
        let natural = Array(scan.endpoints)
        #expect(shuffled.count == natural.count)
        #expect(Set(shuffled) == Set(natural))
        #expect(shuffled != natural)
    }

    @Test func shardsOfAHugeJobAreLazy() throws {
        let scan = try ScanJob(groups: PositionalArguments.split(["127.0.0.0/16", "1-65535"]))
        let shard = scan.endpoints(in: try Shard(index: 3, count: 1000), seed: 11)
        #expect(shard.count == (scan.count - 3) / 1000 + 1)
        let sample = Array(shard.prefix(1000))
        #expect(Set(sample).count == 1000)
        // The sample spreads across the /16 rather than walking one host.
        #expect(Set(sample.map(\.host)).count > 900)
    }

    @Test func moreShardsThanEndpointsLeavesSomeEmpty() throws {
        let scan = try ScanJob(groups: PositionalArguments.split(["127.0.0.1", "1-3"]))
        let sizes = try (1...5).map { Array(scan.endpoints(in: try Shard(index: $0, count: 5), seed: 0)).count }
        #expect(sizes == [1, 1, 1, 0, 0])
    }
}
