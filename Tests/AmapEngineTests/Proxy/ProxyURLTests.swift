import Testing
@testable import AmapEngine

@Suite("--proxy URLs")
struct ProxyURLTests {
    @Test("socks5, socks5h and http URLs with and without credentials")
    func parsesTheThreeKinds() throws {
        let plain = try ProxyConfiguration(url: "socks5://127.0.0.1:18180")
        #expect(plain == ProxyConfiguration(kind: .socks5, host: "127.0.0.1", port: 18180))
        #expect(!plain.resolvesNamesAtProxy)

        let named = try ProxyConfiguration(url: "SOCKS5H://alice:s3cret@proxy.example:1080/")
        #expect(named.kind == .socks5h)
        #expect(named.host == "proxy.example")
        #expect(named.credentials == ProxyCredentials(username: "alice", password: "s3cret"))
        #expect(named.resolvesNamesAtProxy)

        let http = try ProxyConfiguration(url: "http://bob:p%40ss:word@[::1]:3128")
        #expect(http.kind == .http)
        #expect(http.host == "::1")
        #expect(http.port == 3128)
        // Percent-escapes are decoded, and the password may hold ':' (the first one splits user from password).
        #expect(http.credentials == ProxyCredentials(username: "bob", password: "p@ss:word"))
    }

    @Test("a SOCKS5 URL without a port takes 1080 (RFC 1928 §3); an HTTP one must name its port")
    func defaultPorts() throws {
        #expect(try ProxyConfiguration(url: "socks5://10.0.0.1").port == 1080)
        #expect(throws: ProxyURLError.self) { try ProxyConfiguration(url: "http://10.0.0.1") }
    }

    @Test("the description never shows the password")
    func redactsThePassword() throws {
        let proxy = try ProxyConfiguration(url: "socks5://alice:hunter2@127.0.0.1:1080")
        #expect(proxy.description == "socks5://alice:***@127.0.0.1:1080")
        #expect(!String(describing: proxy.credentials).contains("hunter2"))
        let error = #expect(throws: ProxyURLError.self) { try ProxyConfiguration(url: "socks4://alice:hunter2@h:1") }
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("SOCKS4 is not supported") == true)
    }

    @Test("malformed URLs are refused with the reason", arguments: [
        ("127.0.0.1:1080", "scheme://"),
        ("ftp://h:1", "unknown scheme 'ftp'"),
        ("https://h:443", "TLS connection to the proxy is not supported"),
        ("socks5://:1080", "no proxy host"),
        ("socks5://h:0", "1 to 65535"),
        ("socks5://h:70000", "1 to 65535"),
        ("socks5://h:x", "1 to 65535"),
        ("socks5://alice@h:1", "user:password@"),
        ("socks5://:pw@h:1", "empty user name"),
        ("socks5://alice:@h:1", "1 to 255 bytes"),
        ("socks5://a:%zz@h:1", "%-escape"),
        ("socks5://h:1/path", "no path"),
        ("socks5://::1:1080", "brackets"),
        ("socks5://[::1:1080", "unclosed"),
    ])
    func refusesMalformedURLs(url: String, reason: String) {
        let error = #expect(throws: ProxyURLError.self) { try ProxyConfiguration(url: url) }
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("a SOCKS5 user name longer than 255 bytes is refused; HTTP has no such limit")
    func socksCredentialLimit() throws {
        let long = String(repeating: "u", count: 256)
        #expect(throws: ProxyURLError.self) { try ProxyConfiguration(url: "socks5://\(long):pw@h:1") }
        #expect(try ProxyConfiguration(url: "http://\(long):pw@h:1").credentials?.username == long)
    }
}
