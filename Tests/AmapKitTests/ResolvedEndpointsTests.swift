import AmapKit
import Testing

@Suite struct ResolvedEndpointsTests {
    @Test func aHugeJobIsNeverMaterialised() throws {
        let job = try ScanJob(groups: PositionalArguments.split(["127.0.0.0/16", "1-65535"]))
        let clock = ContinuousClock()
        let start = clock.now
        for order in [EndpointOrder.natural, .sharded(try Shard(index: 2, count: 7), seed: 1)] {
            let endpoints = ResolvedEndpoints(job: job, order: order)
            // Listing 4.3 billion endpoints would take minutes and gigabytes; the first few take microseconds.
            let first = Array(endpoints.prefix(3))
            #expect(first.count == 3)
            #expect(first.allSatisfy { $0.host.hasPrefix("127.0.") })
            if case .natural = order {
                #expect(endpoints.count == 65_536 * 65_535)
                #expect(first.map(\.port) == [1, 2, 3])
            } else {
                #expect(endpoints.count == (65_536 * 65_535 - 2) / 7 + 1)
            }
        }
        #expect(clock.now - start < .seconds(2))
    }

    @Test func namesGetTheirResolvedAddressInEveryOrder() throws {
        let job = try ScanJob(groups: PositionalArguments.split(["localhost", "127.0.0.2", "7,9"]))
        let resolved = ["localhost": "127.0.0.1"]
        for order in [EndpointOrder.natural, .sharded(.whole, seed: 3)] {
            let endpoints = Array(ResolvedEndpoints(job: job, resolved: resolved, order: order))
            #expect(endpoints.count == 4)
            for endpoint in endpoints {
                #expect(endpoint.address == (endpoint.host == "localhost" ? "127.0.0.1" : endpoint.host))
            }
        }
    }

    @Test func shardsOfResolvedEndpointsPartitionTheNaturalOrder() throws {
        let job = try ScanJob(groups: PositionalArguments.split(["127.0.0.0/29", "1-20", "U:53"]))
        let natural = Array(ResolvedEndpoints(job: job))
        var union: [Endpoint] = []
        for index in 1...3 {
            let shard = ResolvedEndpoints(job: job, order: .sharded(try Shard(index: index, count: 3), seed: 9))
            let members = Array(shard)
            #expect(UInt64(members.count) == shard.count)
            union += members
        }
        #expect(union.count == natural.count)
        #expect(Set(union) == Set(natural))
    }

    @Test func orderFromCommandLineValues() throws {
        #expect(EndpointOrder(shard: nil, seed: nil) == .natural)
        #expect(EndpointOrder(shard: nil, seed: 5) == .sharded(.whole, seed: 5))
        let shard = try Shard(index: 1, count: 2)
        #expect(EndpointOrder(shard: shard, seed: nil) == .sharded(shard, seed: EndpointOrder.defaultSeed))
        // The documented constant: "amap-shd" in ASCII, big-endian. Machines must agree on it.
        let bytes = withUnsafeBytes(of: EndpointOrder.defaultSeed.bigEndian) { Array($0) }
        #expect(String(decoding: bytes, as: UTF8.self) == "amap-shd")
    }
}
