import AmapModel
import Testing

@testable import AmapTargets

@Suite struct ScanJobTests {
    private func job(_ arguments: [String], endpoints: [Endpoint] = [], allowHuge: Bool = false) throws -> ScanJob {
        try ScanJob(groups: PositionalArguments.split(arguments, allowHuge: allowHuge), endpoints: endpoints)
    }

    @Test func naturalOrderIsTargetMajorTCPThenUDP() throws {
        let scan = try job(["127.0.0.1-2", "22", "U:53", "T:80"])
        #expect(scan.endpoints.map(\.description) == [
            "127.0.0.1:22/tcp", "127.0.0.1:80/tcp", "127.0.0.1:53/udp",
            "127.0.0.2:22/tcp", "127.0.0.2:80/tcp", "127.0.0.2:53/udp",
        ])
        #expect(scan.count == 6)
    }

    @Test func hostNamesStayNames() throws {
        let endpoint = try #require(try job(["localhost", "22"]).endpoints.first { _ in true })
        #expect(endpoint.host == "localhost")
        #expect(endpoint.address == "localhost")
        #expect(endpoint.port == 22)
    }

    @Test func ipv6EndpointsPrintBracketed() throws {
        let scan = try job(["[::1]", "22"])
        #expect(scan.endpoints.map(\.description) == ["[::1]:22/tcp"])
        #expect(scan.endpoint(at: 0).isIPv6)
    }

    @Test func randomAccessMatchesSequentialOrder() throws {
        let listed = [
            Endpoint(host: "192.0.2.1", port: 7, transport: .udp),
            Endpoint(host: "192.0.2.1", port: 7, transport: .udp),
            Endpoint(host: "::1", port: 9, transport: .tcp),
        ]
        let scan = try job(["127.0.0.0/29", "::1", "1-3,10", "U:5", "localhost", "99"], endpoints: listed)
        let sequential = Array(scan.endpoints)
        #expect(UInt64(sequential.count) == scan.count)
        #expect(scan.count == 9 * 5 + 1 + 2)  // the duplicate listed endpoint is dropped
        for (index, endpoint) in sequential.enumerated() {
            #expect(scan.endpoint(at: UInt64(index)) == endpoint)
        }
        #expect(sequential.suffix(3).map(\.description) == ["localhost:99/tcp", "192.0.2.1:7/udp", "[::1]:9/tcp"])
    }

    @Test func slash16TimesAllPortsIsCountedNotMaterialised() throws {
        let scan = try job(["127.0.0.0/16", "1-65535"])
        #expect(scan.count == 65536 * 65535)
        // Only a handful of endpoints are computed: the first few, the last, and one in the middle.
        #expect(Array(scan.endpoints.prefix(3)).map(\.description) == [
            "127.0.0.0:1/tcp", "127.0.0.0:2/tcp", "127.0.0.0:3/tcp",
        ])
        #expect(scan.endpoint(at: scan.count - 1).description == "127.0.255.255:65535/tcp")
        #expect(scan.endpoint(at: 65535 * 258 + 21).description == "127.0.1.2:22/tcp")
        #expect(scan.endpoints.underestimatedCount == Int(65536 * 65535))
    }

    @Test func wholeInternetTimesAllPortsFitsWithAllowHuge() throws {
        let scan = try job(["0.0.0.0/0", "T:1-65535,U:1-65535"], allowHuge: true)
        #expect(scan.count == (UInt64(1) << 32) * 131_070)
        #expect(scan.endpoint(at: scan.count - 1).description == "255.255.255.255:65535/udp")
    }

    @Test func emptyJob() throws {
        let scan = try ScanJob()
        #expect(scan.count == 0)
        #expect(Array(scan.endpoints).isEmpty)
        #expect(Array(scan.endpoints(in: .whole, seed: 1)).isEmpty)
    }

    @Test func jobsTooLargeToCountAreRefused() throws {
        let wide = try TargetSpec.parse("2001:db8::/65", allowHuge: true)
        let ports = try PortList.parse("1-65535")
        #expect(throws: TargetSpecError.jobTooLarge) {
            try ScanJob(groups: [TargetGroup(targets: [wide], ports: ports)])
        }
        #expect(throws: TargetSpecError.jobTooLarge) {
            try ScanJob(groups: [TargetGroup(targets: [wide, wide], ports: try PortList.parse("1-2"))])
        }
    }
}
