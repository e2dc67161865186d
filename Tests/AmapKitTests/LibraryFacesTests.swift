import AmapKit
import AmapTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a program using the library sees, against what the `amap` command writes: the same JSON record for the same
/// port, and a process-wide limit left as it was.
@Suite struct LibraryFacesTests {
    /// Three loopback ports with fixed answers (so two scans of them see the same bytes): an SSH greeting, an HTTP
    /// server that answers a GET, and a refused port.
    private struct Ports {
        let ssh: LoopbackTCPServer
        let http: LoopbackTCPServer
        let closed: ClosedPort

        init() throws {
            ssh = try LoopbackTCPServer(greeting: Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8))
            http = try LoopbackTCPServer(replies: [
                ("GET / HTTP/1.", "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 0\r\n\r\n"),
            ])
            closed = try ClosedPort()
        }

        var list: String { "\(ssh.port),\(http.port),\(closed.port)" }

        func stop() {
            ssh.stop()
            http.stop()
            closed.release()
        }
    }

    /// A JSON Lines record parsed, with its timestamp taken out (checked to be there) and its key order kept.
    private static func record(_ line: some StringProtocol) throws -> (object: NSDictionary, keys: [String]) {
        let data = Data(line.utf8)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(line)")
        #expect(object.removeValue(forKey: "timestamp") is String, "\(line)")
        return (object as NSDictionary, try keys(of: data))
    }

    /// The top-level keys in the order written (JSONSerialization forgets it).
    private static func keys(of data: Data) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let text = String(decoding: data, as: UTF8.self)
        return object.keys.sorted {
            (text.range(of: "\"\($0)\":")?.lowerBound ?? text.endIndex)
                < (text.range(of: "\"\($1)\":")?.lowerBound ?? text.endIndex)
        }
    }

    @Test("a result the library encodes is the record amap -oJ writes for the same port")
    func libraryRecordIsTheCommandsRecord() async throws {
        let ports = try Ports()
        defer { ports.stop() }
        var library: [Int: String] = [:]
        let scanner = try AmapScanner()
        for await result in try await scanner.results(targets: ["127.0.0.1"], ports: ports.list) {
            library[Int(result.endpoint.port)] = JSONLinesRecord.line(for: result, timestamp: Date())
        }
        let run = try await AmapExecutable.run(["-oJ", "-", "127.0.0.1", ports.list])
        #expect(run.status == 0, "\(run)")
        var command: [Int: String] = [:]
        for line in run.stdoutLines where !line.isEmpty {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            command[try #require(object["port"] as? Int)] = line
        }
        #expect(Set(library.keys) == [Int(ports.ssh.port), Int(ports.http.port), Int(ports.closed.port)])
        #expect(Set(command.keys) == Set(library.keys), "\(run)")
        for (port, line) in library {
            let ours = try Self.record(line)
            let theirs = try Self.record(try #require(command[port]))
            #expect(ours.object == theirs.object, "port \(port):\nlibrary \(line)\ncommand \(command[port] ?? "")")
            #expect(ours.keys == theirs.keys)
        }
        // Not vacuous: the records say what each port is.
        let ssh = try Self.record(try #require(library[Int(ports.ssh.port)])).object
        #expect(ssh["service"] as? String == "ssh" && ssh["product"] as? String == "OpenSSH", "\(ssh)")
        let http = try Self.record(try #require(library[Int(ports.http.port)])).object
        #expect(http["service"] as? String == "http" && http["product"] as? String == "nginx", "\(http)")
        let closed = try Self.record(try #require(library[Int(ports.closed.port)])).object
        #expect(closed["state"] as? String == "closed" && closed["status"] as? String == "connection-refused")
    }

    @Test("JSONEncoder writes the same record as the line")
    func encoderWritesTheSameRecord() async throws {
        let server = try LoopbackTCPServer(greeting: Array("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".utf8))
        defer { server.stop() }
        let scanner = try AmapScanner()
        var found: PortResult?
        for await result in try await scanner.results(targets: ["127.0.0.1"], ports: "\(server.port)") {
            found = result
        }
        let result = try #require(found)
        let at = Date(timeIntervalSince1970: 1_796_000_000)
        let encoded = try JSONEncoder().encode(JSONLinesRecord.object(for: result, timestamp: at))
        let viaEncoder = try #require(try JSONSerialization.jsonObject(with: encoded) as? NSDictionary)
        let line = JSONLinesRecord.line(for: result, timestamp: at)
        let viaLine = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? NSDictionary)
        #expect(viaEncoder == viaLine)
        #expect(viaLine["service"] as? String == "ssh")
    }

    /// The library reads the open-file limit to size its window and never changes it (the command and the example
    /// raise it themselves): set a little below the hard limit, it is the same after a scan through `AmapScanner`.
    @Test("a scan through AmapScanner leaves RLIMIT_NOFILE as it was")
    func scanLeavesTheOpenFileLimit() async throws {
        try await ProcessLimitLock.withLock {
            var before = rlimit()
            try #require(getrlimit(Self.resource, &before) == 0)
            // Never below 4,096, so tests running beside this one keep their descriptors; restored afterwards.
            let lowered = max(4_096, before.rlim_max / 2)
            try #require(lowered < before.rlim_max, "the hard limit (\(before.rlim_max)) leaves no room below it")
            var set = rlimit(rlim_cur: lowered, rlim_max: before.rlim_max)
            try #require(setrlimit(Self.resource, &set) == 0)
            defer {
                var restore = before
                _ = setrlimit(Self.resource, &restore)
            }
            let ports = try Ports()
            defer { ports.stop() }
            let scanner = try AmapScanner()
            var count = 0
            for await _ in try await scanner.results(targets: ["127.0.0.1"], ports: ports.list) { count += 1 }
            #expect(count == 3)
            var after = rlimit()
            try #require(getrlimit(Self.resource, &after) == 0)
            #expect(after.rlim_cur == lowered && after.rlim_max == before.rlim_max)
        }
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
