import AmapKit
import AmapTestSupport
import Foundation
import Testing

/// `--proxy` against proxies that fail: a malformed URL, a proxy that is not there, one that drops the connection in
/// the middle of its handshake, one that drops a single CONNECT, and one that refuses the credentials mid-scan. Each
/// gives a clear error or a per-port note, and no port is reported with a state the proxy could not know. The
/// proxies are in-process fakes on 127.0.0.1 (`FakeSOCKS5Proxy`); the target addresses are never contacted directly.
@Suite("--proxy: failing proxies", .enabled(if: AmapExecutable.isBuilt, "needs the amap binary"))
struct ProxyFailureTests {
    /// Short waits: the fakes answer at once.
    static let fast = ["-T", "2", "-C", "1", "-t", "1"]

    /// JSON Lines records (one per port) of `text`.
    static func records(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("a malformed proxy URL, and UDP with a proxy, are usage errors (exit 64) that send nothing")
    func usageErrors() async throws {
        for (arguments, words) in [
            (["--proxy", "socks4://127.0.0.1:1080", "127.0.0.1", "22"], "SOCKS4 is not supported"),
            (["--proxy", "socks5://alice:secret@127.0.0.1:99999", "127.0.0.1", "22"], "1 to 65535"),
            (["--proxy", "http://127.0.0.1", "127.0.0.1", "22"], "port"),
            (["--proxy", "socks5://127.0.0.1:1080", "-u", "127.0.0.1", "53"], "UDP"),
            (["--proxy", "socks5://127.0.0.1:1080", "127.0.0.1", "T:22,U:53"], "UDP"),
        ] {
            let run = try await AmapExecutable.run(arguments)
            #expect(run.status == 64, "\(arguments): \(run)")
            #expect(run.stderr.hasPrefix("Error: "), "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(words), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("secret"), "the password must not be echoed: \(run.stderr)")
            #expect(!run.stdout.contains("Protocol on"))
        }
        // UDP endpoints that come from an -i file (nmap's grepable output) are refused the same way.
        let scratch = try Scratch("proxy-udp-import")
        let input = try scratch.write("scan.gnmap", "Host: 127.0.0.1 ()\tPorts: 53/open/udp//domain///\n")
        let run = try await AmapExecutable.run(["--proxy", "socks5://127.0.0.1:1080", "-i", input.path])
        #expect(run.status == 64, "\(run)")
        #expect(run.stderr.contains("UDP"), "\(run.stderr)")
    }

    @Test("an unreachable proxy ends the scan with exit 255 before any port or output file")
    func unreachableProxy() async throws {
        let closed = try await LoopbackServers.closedPort(udp: false)
        let scratch = try Scratch("proxy-unreachable")
        let json = scratch.file("scan.jsonl").path
        let run = try await AmapExecutable.run(
            Self.fast + ["--proxy", "socks5://127.0.0.1:\(closed)", "-oJ", json, "127.0.0.1", "22", "80"])
        #expect(run.status == 255, "\(run)")
        #expect(run.stderr.hasPrefix("Error: proxy socks5://127.0.0.1:\(closed) failed: cannot connect"))
        #expect(!run.stdout.contains("127.0.0.1:22"))
        #expect(!FileManager.default.fileExists(atPath: json), "no output file before the proxy passed its check")
    }

    @Test("a proxy that drops the connection after the greeting fails its check: exit 255, nothing reported")
    func dropAfterGreeting() async throws {
        let proxy = try await FakeSOCKS5Proxy(.dropAfterGreeting)
        defer { Task { await proxy.stop() } }
        let run = try await AmapExecutable.run(
            Self.fast + ["--proxy", "socks5://127.0.0.1:\(proxy.port)", "127.0.0.1", "22"])
        #expect(run.status == 255, "\(run)")
        #expect(run.stderr.contains("closed the connection after the SOCKS5 greeting"), "\(run.stderr)")
        #expect(!run.stdout.contains("Protocol on"))
    }

    @Test("a proxy that drops one CONNECT: that port gets a note, the others are identified, none is lost")
    func dropOneConnect() async throws {
        let proxy = try await FakeSOCKS5Proxy(.dropConnect(toPort: 2))
        defer { Task { await proxy.stop() } }
        let run = try await AmapExecutable.run(
            Self.fast + ["--proxy", "socks5h://127.0.0.1:\(proxy.port)", "--json", "127.0.0.1", "1-3"])
        #expect(run.status == 0, "\(run)")
        let byPort = Dictionary(Self.records(run.stdout).compactMap { record in
            (record["port"] as? Int).map { ($0, record) }
        }, uniquingKeysWith: { first, _ in first })
        #expect(byPort.keys.sorted() == [1, 2, 3], "every port reported: \(run.stdout)")
        for port in [1, 3] { #expect(byPort[port]?["service"] as? String == "ssh", "port \(port): \(run.stdout)") }
        let dropped = byPort[2]
        #expect(dropped?["service"] is NSNull)
        #expect((dropped?["note"] as? String)?.contains("closed the connection after the SOCKS5 CONNECT request")
            == true, "\(String(describing: dropped))")
    }

    @Test("an IPv6 target (SOCKS5 address type 4), banner mode and port-scan mode go through the proxy too")
    func ipv6AndQuickModes() async throws {
        let proxy = try await FakeSOCKS5Proxy(.dropConnect(toPort: 2))
        defer { Task { await proxy.stop() } }
        let url = "socks5://127.0.0.1:\(proxy.port)"
        // ::1 port 1 is never contacted: the fake proxy answers for it.
        let map = try await AmapExecutable.run(Self.fast + ["--proxy", url, "--json", "::1", "1"])
        #expect(map.status == 0, "\(map)")
        #expect(map.stdout.contains("\"address\":\"::1\"") && map.stdout.contains("\"service\":\"ssh\""),
                "\(map.stdout)")
        let banner = try await AmapExecutable.run(Self.fast + ["-B", "--proxy", url, "127.0.0.1", "1"])
        #expect(banner.stdout.contains("Banner on 127.0.0.1:1/tcp : SSH-2.0-OpenSSH_9.2p1"), "\(banner)")
        let portScan = try await AmapExecutable.run(Self.fast + ["-P", "--proxy", url, "127.0.0.1", "1", "2"])
        #expect(portScan.stdout.contains("Port on 127.0.0.1:1/tcp is OPEN"), "\(portScan)")
        #expect(!portScan.stdout.contains("127.0.0.1:2/tcp is OPEN"), "\(portScan)")
        #expect(proxy.connections >= 4, "every connection went through the proxy")
    }

    @Test("credentials refused mid-scan: exit 255 naming the proxy, and no port reported with a made-up state")
    func credentialsRefusedMidScan() async throws {
        // The first connection is the up-front check, which passes; every probe connection after it is refused.
        let proxy = try await FakeSOCKS5Proxy(.refuseCredentials(afterConnections: 1))
        defer { Task { await proxy.stop() } }
        let scratch = try Scratch("proxy-midscan")
        let journal = scratch.file("journal").path
        let run = try await AmapExecutable.run(
            Self.fast + ["--proxy", "socks5://alice:secret@127.0.0.1:\(proxy.port)", "--json", "--journal", journal,
                         "127.0.0.1", "1-3"])
        #expect(run.status == 255, "\(run)")
        #expect(run.stderr.contains("proxy socks5://alice:***@127.0.0.1:\(proxy.port) failed: authentication failed"),
                "\(run.stderr)")
        #expect(!run.stderr.contains("secret"))
        #expect(Self.records(run.stdout).filter { $0["port"] != nil }.isEmpty, "ports reported: \(run.stdout)")
        let journaled = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
        #expect(journaled.isEmpty, "unprobed ports journaled as done: \(journaled)")
        #expect(proxy.connections >= 2)
    }

    @Test("the library: AmapScanner with a proxy configuration scans through it, checks it, and refuses UDP")
    func libraryAPI() async throws {
        let proxy = try await FakeSOCKS5Proxy(.dropConnect(toPort: 2))
        defer { Task { await proxy.stop() } }
        var configuration = ScanConfiguration(connectTimeoutMilliseconds: 2_000, connectAttempts: 1,
                                              responseTimeoutMilliseconds: 1_000, bannerWaitMilliseconds: 1_000)
        configuration.proxy = try ProxyConfiguration(url: "socks5://127.0.0.1:\(proxy.port)")
        let scanner = try AmapScanner(configuration: configuration)
        var results: [UInt16: PortResult] = [:]
        for await result in try await scanner.results(targets: ["127.0.0.1"], ports: "1,2") {
            results[result.endpoint.port] = result
        }
        #expect(results[1]?.primary?.service == "ssh")
        #expect(results[2]?.state == .filtered)
        #expect(scanner.proxyFailure == nil)
        await #expect(throws: ProxyTransportError.self) {
            _ = try await scanner.results(targets: ["127.0.0.1"], ports: "U:53")
        }

        let closed = try await LoopbackServers.closedPort(udp: false)
        var dead = configuration
        dead.proxy = ProxyConfiguration(kind: .socks5, host: "127.0.0.1", port: closed)
        let deadScanner = try AmapScanner(configuration: dead)
        let error = await #expect(throws: ProxyError.self) {
            _ = try await deadScanner.results(targets: ["127.0.0.1"], ports: "1")
        }
        guard case .unreachable? = error?.reason else {
            Issue.record("not an unreachable proxy: \(String(describing: error))")
            return
        }
    }
}
