import AmapKit
import Testing
@testable import amap

/// `--proxy URL` becomes the scanner's proxy configuration, and its password stays out of the reports.
@Suite struct ProxyOptionTests {
    @Test func theProxyURLBecomesTheConfiguration() throws {
        let options = try CommandParsingTests.scanOptions(
            ["--proxy", "socks5h://alice:pw@127.0.0.1:1080", "127.0.0.1", "22"])
        let configuration = try ScanRunner(options: options).configuration()
        let alice = ProxyCredentials(username: "alice", password: "pw")
        #expect(configuration.proxy == ProxyConfiguration(kind: .socks5h, host: "127.0.0.1", port: 1080,
                                                          credentials: alice))
        let direct = try ScanRunner(options: CommandParsingTests.scanOptions(["127.0.0.1", "22"])).configuration()
        #expect(direct.proxy == nil)
    }

    @Test func theRecordedCommandLineHidesTheProxyPassword() {
        #expect(ScanRunner.redactingProxyPassword(
            ["amap", "--proxy", "http://bob:hunter2@10.0.0.1:3128", "-oX", "x", "127.0.0.1", "22"])
            == ["amap", "--proxy", "http://bob:***@10.0.0.1:3128", "-oX", "x", "127.0.0.1", "22"])
        #expect(ScanRunner.redactingProxyPassword(["amap", "--proxy=socks5://u:p@h:1", "h", "1"])
            == ["amap", "--proxy=socks5://u:***@h:1", "h", "1"])
        #expect(ScanRunner.redactingProxyPassword(["amap", "--proxy", "socks5://h:1", "h", "1"])
            == ["amap", "--proxy", "socks5://h:1", "h", "1"])
    }

    @Test func throughARemoteProxyWaitsUseTheInternetProfile() throws {
        var configuration = ScanConfiguration()
        #expect(configuration.timingProfile(for: "127.0.0.1") == .lan)
        configuration.proxy = ProxyConfiguration(kind: .socks5, host: "127.0.0.1", port: 1080)
        #expect(configuration.timingProfile(for: "10.1.2.3") == .lan)
        #expect(configuration.timingProfile(for: "8.8.8.8") == .internet)
        // A pivot on the Internet: its targets look local (10/8) but every round trip crosses the Internet.
        configuration.proxy = ProxyConfiguration(kind: .socks5, host: "203.0.113.7", port: 1080)
        #expect(configuration.timingProfile(for: "10.1.2.3") == .internet)
        configuration.timing = .fixed
        #expect(configuration.timingProfile(for: "10.1.2.3") == nil)
    }
}
