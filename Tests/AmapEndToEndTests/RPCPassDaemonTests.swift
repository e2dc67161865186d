import AmapTestSupport
import Foundation
import Testing

/// amap's RPC pass against Debian's real rpcbind (`scripts/daemons.sh`: rpcbind in a namespace of its own, reached
/// on 127.0.0.1:18111 over TCP and UDP): with amap-format files written here it names `rpc`, then
/// `rpc-rpcbind-v4`; with the built-in database, program 100000 versions 2-4 in every output format; `-R` leaves
/// the pass out.
@Suite("amap's RPC pass on the real rpcbind", .serialized, .timeLimit(.minutes(2)))
struct RPCPassDaemonTests {
    /// Our own trigger, in amap's trigger format: an ONC RPC NULL call (RFC 5531 §9) to program 100000 version 2,
    /// xid "E2ER"; over TCP with its record mark (§11).
    static let triggers = """
        e2e-rpc-null::tcp:0:0x80000028 45324552 00000000 00000002 000186a0 00000002 00000000 00000000 00000000 \
        00000000 00000000
        e2e-rpc-null::udp:0:0x45324552 00000000 00000002 000186a0 00000002 00000000 00000000 00000000 00000000 \
        00000000

        """
    /// Any accepted reply to that call names the port amap's `rpc` (the name that starts the RPC pass).
    static let responses = """
        rpc:e2e-rpc-null:b::^(\\x80\\x00\\x00.)?E2ER\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00

        """
    /// amap's RPC list format: rpcbind's program after one it does not serve (its PROG_UNAVAIL keeps the
    /// connection), and one after it that must never be asked.
    static let programs = """
        rstatd:::0:100001
        rpcbind:::0:100000
        nfs:::0:100003

        """

    static func appdefs(_ scratch: Scratch) throws -> String {
        _ = try scratch.write("e2e-rpc.trig", triggers)
        _ = try scratch.write("e2e-rpc.resp", responses)
        _ = try scratch.write("e2e-rpc.rpc", programs)
        return scratch.file("e2e-rpc").path
    }

    static let rows = DaemonAvailability.rows(["rpcbind", "rpcbind-udp"])

    @Test("-D: amap's files name rpcbind rpc, then rpc-rpcbind-v4, over TCP and UDP; -R stops at rpc",
          DaemonAvailability.needs(RPCPassDaemonTests.rows))
    func amapFilesNameTheProgram() async throws {
        try DaemonAvailability.require(Self.rows)
        let scratch = try Scratch()
        let prefix = try Self.appdefs(scratch)
        for row in Self.rows {
            let udp = row.proto == "udp" ? ["-u"] : []
            let run = try await AmapExecutable.run(udp + ["-D", prefix, "-t", "2", "127.0.0.1", String(row.port)])
            #expect(run.status == 0, "\(run)")
            let lines = HumanMatchLine.parse(run.stdout).filter { $0.endpoint == row.amapEndpoint }
            #expect(lines.map(\.service) == ["rpc", "rpc-rpcbind-v4"], "\(row)\n\(run)")
            let skipped = try await AmapExecutable.run(udp + ["-R", "-D", prefix, "-t", "2", "127.0.0.1",
                                                              String(row.port)])
            #expect(HumanMatchLine.parse(skipped.stdout).map(\.service) == ["rpc"], "\(row) -R\n\(skipped)")
        }
    }

    @Test("built-in database: program 100000, versions 2-4, in the human lines, -m, JSON and XML",
          DaemonAvailability.needs(RPCPassDaemonTests.rows))
    func builtinDatabaseNamesProgramAndVersions() async throws {
        try DaemonAvailability.require(Self.rows)
        for row in Self.rows {
            let scratch = try Scratch()
            let machine = scratch.file("m.log").path
            let json = scratch.file("j.jsonl").path
            let xml = scratch.file("x.xml").path
            let udp = row.proto == "udp" ? ["-u"] : []
            let run = try await AmapExecutable.run(udp + ["-m", "-o", machine, "-oJ", json, "-oX", xml, "-t", "2",
                                                          "127.0.0.1", String(row.port)])
            #expect(run.status == 0, "\(run)")
            let human = HumanMatchLine.parse(run.stdout).last
            #expect(human?.service == "rpcbind" && human?.detail == "RPC #100000 v2-4", "\(row)\n\(run)")
            let log = try String(contentsOfFile: machine, encoding: .utf8)
            #expect(log.contains("127.0.0.1:\(row.port):\(row.proto):open::rpcbind:RPC #100000 v2-4:\n"),
                    "\(row)\n\(log)")
            let record = try #require(JSONRecord.parse(try String(contentsOfFile: json, encoding: .utf8)).records.first)
            #expect(record.service == "rpcbind" && record.object["info"] as? String == "RPC #100000 v2-4",
                    "\(record.line)")
            let report = try String(contentsOfFile: xml, encoding: .utf8)
            #expect(report.contains("<service name=\"rpcbind\" extrainfo=\"RPC #100000 v2-4\""), "\(report)")
            let skipped = try await AmapExecutable.run(udp + ["-R", "-t", "2", "127.0.0.1", String(row.port)])
            #expect(HumanMatchLine.parse(skipped.stdout).map(\.detail) == ["RPC #100000 v2"], "\(row) -R\n\(skipped)")
        }
    }
}

/// `--names amap` on the daemon suite: the built-in database's names printed as amap 5.4's IDs in the human and
/// `-m` lines, while JSON keeps nmap's names.
@Suite("amap --names amap on the daemon suite", .serialized, .timeLimit(.minutes(2)))
struct AmapNamesDaemonTests {
    /// Daemons whose built-in name differs from amap's ID, with that ID.
    static let expected = [("postgresql", "postgres"), ("openssh", "ssh"), ("vsftpd", "ftp"), ("slapd", "ldap"),
                           ("dnsmasq-tcp", "dns"), ("rpcbind", "rpc-rpcbind-v4")]
    static let rows = DaemonAvailability.rows(expected.map(\.0))

    @Test("human and -m lines carry amap's IDs; JSON keeps the built-in names",
          DaemonAvailability.needs(AmapNamesDaemonTests.rows))
    func amapIDsInAmapsLines() async throws {
        try DaemonAvailability.require(Self.rows)
        let scratch = try Scratch()
        let machine = scratch.file("m.log").path
        let json = scratch.file("j.jsonl").path
        let run = try await AmapExecutable.run(["--names", "amap", "-m", "-o", machine, "-oJ", json, "127.0.0.1"]
                                               + DaemonTable.portArguments(Self.rows), timeout: .seconds(90))
        #expect(run.status == 0, "\(run)")
        let human = HumanMatchLine.parse(run.stdout)
        let log = try String(contentsOfFile: machine, encoding: .utf8)
        let records = JSONRecord.parse(try String(contentsOfFile: json, encoding: .utf8)).records
        for (name, id) in Self.expected {
            let row = try #require(DaemonTable.row(name))
            #expect(human.filter { $0.endpoint == row.amapEndpoint }.last?.service == id, "\(row)\n\(run.stdout)")
            #expect(log.contains("127.0.0.1:\(row.port):tcp:open::\(id):"), "\(row)\n\(log)")
            #expect(records.first { $0.port == row.port }?.service == row.bareService, "\(row)")
        }
    }
}
