import AmapTestSupport
import Foundation
import Testing

/// The built-in database (no other signature file) on every real daemon of the table, each on a non-standard port,
/// and on daemons put into a defensive state: refusing the scanner, still named.
@Suite("amap with the built-in database: the daemon suite and defensive states", .serialized, .timeLimit(.minutes(4)))
struct BuiltinDaemonSuiteTests {
    /// The open IPv4 TCP rows of the table.
    static var openRows: [DaemonRow] {
        DaemonTable.rows(address: "127.0.0.1", proto: "tcp").filter { $0.state == "open" }
    }

    /// Where the built-in database's product differs from nmap's (the table's product column): MariaDB names itself
    /// (nmap says MySQL), ngIRCd is spelt as the project spells it, Knot and gearmand by the names they give
    /// themselves, and OpenLDAP's root DSE answer to the built-in probe names no vendor ("" = no product).
    static let builtinProducts: [String: String] = [
        "mariadb": "MariaDB", "ngircd": "ngIRCd", "slapd": "", "knot-tcp": "Knot DNS", "gearmand": "Gearman job server",
        "cvs-pserver": "CVS pserver", "gpsd": "gpsd",
        // Samba: the NetBIOS session answer comes first and names no product.
        "samba": "",
    ]

    /// The products either of which the built-in database may report for `row`; empty: none expected.
    static func expectedProducts(_ row: DaemonRow) -> [String] {
        guard let own = builtinProducts[row.name] else { return row.products }
        return own.isEmpty ? [] : [own]
    }

    /// One built-in scan of `rows`; the JSON records by port.
    static func scan(_ rows: [DaemonRow]) async throws -> (records: [Int: JSONRecord], run: AmapRun) {
        let scratch = try Scratch()
        let json = scratch.file("builtin.jsonl").path
        let run = try await AmapExecutable.run(["-oJ", json, "127.0.0.1"] + DaemonTable.portArguments(rows),
                                               timeout: .seconds(180))
        #expect(run.status == 0, "\(run)")
        var records: [Int: JSONRecord] = [:]
        for record in JSONRecord.parse((try? String(contentsOfFile: json, encoding: .utf8)) ?? "").records {
            if let port = record.port { records[port] = record }
        }
        return (records, run)
    }

    @Test("every open IPv4 TCP daemon is named by the built-in database, with its product",
          DaemonAvailability.needs(BuiltinDaemonSuiteTests.openRows))
    func namesEveryDaemon() async throws {
        let rows = Self.openRows
        try DaemonAvailability.require(rows)
        let (records, run) = try await Self.scan(rows)
        let firstPass = Self.misses(rows, records)
        print("built-in database over \(rows.count) open IPv4 TCP daemon ports: \(rows.count - firstPass.count) named, "
              + String(format: "%.1f s wall", run.seconds))
        // Under load (CI's 2 cores, the other suites' scans) a slow daemon may miss a probe's wait in the 55-port
        // scan; the ports it left unnamed get one more scan on their own, and must be named then. The first pass's
        // misses are printed so that a trend shows in the logs.
        guard !firstPass.isEmpty else { return }
        print("first pass missed: \(firstPass.map(\.row.name).joined(separator: ", ")); scanning those again")
        let (again, _) = try await Self.scan(firstPass.map(\.row))
        let missed = Self.misses(firstPass.map(\.row), again)
        #expect(missed.isEmpty, "\(missed.map(\.reason).joined(separator: "\n"))")
    }

    /// The rows `records` does not name as the table says, with the reason.
    static func misses(_ rows: [DaemonRow], _ records: [Int: JSONRecord]) -> [(row: DaemonRow, reason: String)] {
        var missed: [(row: DaemonRow, reason: String)] = []
        for row in rows {
            let record = records[row.port]
            if record?.service != row.bareService {
                missed.append((row, "\(row): \(record?.line ?? "no record")"))
            } else if case let products = Self.expectedProducts(row), !products.isEmpty,
                !products.contains(record?.product ?? "nil")
            {
                missed.append((row, "\(row): product \(record?.product ?? "nil"), expected \(products)"))
            }
        }
        return missed
    }

    /// The open IPv4 UDP rows of the table.
    static var openUDPRows: [DaemonRow] {
        DaemonTable.rows(address: "127.0.0.1", proto: "udp").filter { $0.state == "open" }
    }

    @Test("every open IPv4 UDP daemon is named by the built-in database",
          DaemonAvailability.needs(BuiltinDaemonSuiteTests.openUDPRows))
    func namesEveryUDPDaemon() async throws {
        let rows = Self.openUDPRows
        try DaemonAvailability.require(rows)
        let scratch = try Scratch()
        let json = scratch.file("builtin-udp.jsonl").path
        let run = try await AmapExecutable.run(["-u", "-oJ", json, "127.0.0.1"] + DaemonTable.portArguments(rows),
                                               timeout: .seconds(120))
        #expect(run.status == 0, "\(run)")
        let records = JSONRecord.parse((try? String(contentsOfFile: json, encoding: .utf8)) ?? "").records
        for row in rows {
            let record = records.first { $0.port == row.port && $0.proto == "udp" }
            #expect(record?.service == row.bareService, "\(row): \(record?.line ?? "no record")")
        }
    }

    @Test("EPMD on port 18369: its answer carries its own port, and it is named", DaemonAvailability.needs("epmd"))
    func epmdOnAnotherPort() async throws {
        let row = try #require(DaemonTable.row("epmd"))
        try DaemonAvailability.require([row])
        let record = try await Self.scan([row]).records[row.port]
        #expect(record?.service == "epmd" && record?.product == "Erlang Port Mapper Daemon",
                "\(record?.line ?? "none")")
    }

    /// Three failed VNC logins from 127.0.0.1 put TigerVNC's blacklist on this address (BlacklistThreshold 3, for an
    /// hour); from then on it answers "RFB 003.003" and "Too many security failures" and closes.
    @Test("TigerVNC in its 'Too many security failures' state is named vnc", DaemonAvailability.needs("tigervnc"))
    func vncBlacklisted() async throws {
        let row = try #require(DaemonTable.row("tigervnc"))
        try DaemonAvailability.require([row])
        var answer: [UInt8] = []
        for _ in 0..<6 {
            answer = try VNCClient.failLogin(port: UInt16(row.port))
            if answer.starts(with: Array("RFB 003.003\n".utf8)) { break }
        }
        #expect(String(decoding: answer, as: UTF8.self).contains("Too many security failures"),
                "TigerVNC did not blacklist 127.0.0.1: \(answer)")
        let record = try await Self.scan([row]).records[row.port]
        #expect(record?.service == "vnc", "\(record?.line ?? "none")")
        #expect(record?.line.contains("too many security failures") == true, "\(record?.line ?? "none")")
    }

    @Test("MariaDB answering 'Too many connections' is named mysql", DaemonAvailability.needs("mariadb-full"))
    func mysqlTooManyConnections() async throws {
        let row = try #require(DaemonTable.row("mariadb-full"))
        try DaemonAvailability.require([row])
        let record = try await Self.scan([row]).records[row.port]
        #expect(record?.service == "mysql" && record?.line.contains("too many connections") == true,
                "\(record?.line ?? "none")")
    }

    @Test("Redis in protected mode is named redis", DaemonAvailability.needs("redis-protected"))
    func redisProtectedMode() async throws {
        let row = try #require(DaemonTable.row("redis-protected"))
        try DaemonAvailability.require([row])
        let record = try await Self.scan([row]).records[row.port]
        #expect(record?.service == "redis" && record?.line.contains("protected mode") == true,
                "\(record?.line ?? "none")")
    }

    @Test("vsftpd refusing with 421 (max_clients) is named ftp, product vsftpd",
          DaemonAvailability.needs("vsftpd-full"))
    func ftpTooManyUsers() async throws {
        let row = try #require(DaemonTable.row("vsftpd-full"))
        try DaemonAvailability.require([row])
        let record = try await Self.scan([row]).records[row.port]
        #expect(record?.service == "ftp" && record?.product == "vsftpd", "\(record?.line ?? "none")")
    }
}

/// Just enough of an RFB client (RFC 6143) to fail a VNC-authentication login.
enum VNCClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Connects to 127.0.0.1:`port`, and when the server offers VNC authentication (type 2) answers its challenge
    /// with zeros. Returns everything the server sent after its version (or the whole answer of a refusing server).
    static func failLogin(port: UInt16) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect: \(errno)") }
        func read(_ count: Int) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: count)
            var got = 0
            while got < count {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
                if n <= 0 { break }
                got += n
            }
            return Array(buffer.prefix(got))
        }
        func write(_ bytes: [UInt8]) {
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        }
        let version = read(12)
        guard version == Array("RFB 003.008\n".utf8) else { return version + read(256) }
        write(Array("RFB 003.008\n".utf8))
        let count = read(1)
        guard let types = count.first, types > 0 else { return count + read(256) }
        let offered = read(Int(types))
        guard offered.contains(2) else { return offered }
        write([2])
        _ = read(16)
        write([UInt8](repeating: 0, count: 16))
        return read(4) + read(256)
    }
}
