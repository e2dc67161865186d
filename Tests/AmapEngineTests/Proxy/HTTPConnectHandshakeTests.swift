import AmapModel
import Testing
@testable import AmapEngine

@Suite("HTTP CONNECT handshake (RFC 9110 §9.3.6)")
struct HTTPConnectHandshakeTests {
    static func answer(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("the request names the target; Basic credentials when given")
    func request() {
        let plain = HTTPConnectHandshake(destination: .ipv4([127, 0, 0, 1]), port: 18122, credentials: nil)
        #expect(String(decoding: plain.opening(), as: UTF8.self)
            == "CONNECT 127.0.0.1:18122 HTTP/1.1\r\nHost: 127.0.0.1:18122\r\n\r\n")
        let v6 = HTTPConnectHandshake(destination: .ipv6(Array(repeating: 0, count: 15) + [1]), port: 80,
                                      credentials: ProxyCredentials(username: "Aladdin", password: "open sesame"))
        // RFC 7617 §2's example credentials and their token.
        #expect(String(decoding: v6.opening(), as: UTF8.self) == "CONNECT [::1]:80 HTTP/1.1\r\nHost: [::1]:80\r\n"
            + "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n")
    }

    @Test("a 200 answer opens the tunnel; bytes after the headers are the target's")
    func established() {
        var machine = HTTPConnectHandshake(destination: .name("localhost"), port: 22, credentials: nil)
        #expect(machine.receive(Self.answer("HTTP/1.1 200 Connection established\r\n")) == .needMore)
        #expect(machine.receive(Self.answer("\r\nSSH-2.0-x\r\n")) == .tunnel(leftover: Self.answer("SSH-2.0-x\r\n")))
    }

    @Test("502, 503 and 504 are mapped by meaning; squid's errno refines them", arguments: [
        ("HTTP/1.1 503 Service Unavailable\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\n\r\n", PortState.closed),
        ("HTTP/1.1 503 Service Unavailable\r\n\r\n", .closed),
        ("HTTP/1.1 503 Service Unavailable\r\nX-Squid-Error: ERR_CONNECT_FAIL 113\r\n\r\n", .filtered),
        ("HTTP/1.1 502 Bad Gateway\r\n\r\n", .filtered),
        ("HTTP/1.1 502 Bad Gateway\r\nx-squid-error: ERR_CONNECT_FAIL 111\r\n\r\n", .closed),
        ("HTTP/1.1 504 Gateway Timeout\r\n\r\n", .filtered),
        ("HTTP/1.0 403 Forbidden\r\n\r\n", .filtered),
        ("HTTP/1.1 500 Internal Server Error\n\n", .filtered),
    ])
    func gatewayCodes(answer: String, state: PortState) {
        var machine = HTTPConnectHandshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        guard case .refused(let refusal) = machine.receive(Self.answer(answer)) else {
            Issue.record("not a refusal: \(answer)")
            return
        }
        #expect(refusal.state == state)
        let code = answer.split(separator: " ")[1]
        #expect(refusal.note.contains("HTTP \(code)"))
    }

    @Test("407 fails the proxy: credentials wanted or refused")
    func authentication() {
        var without = HTTPConnectHandshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        #expect(without.receive(Self.answer("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"))
            == .failed(.authenticationRequired))
        var with = HTTPConnectHandshake(destination: .ipv4([127, 0, 0, 1]), port: 1,
                                        credentials: ProxyCredentials(username: "a", password: "b"))
        #expect(with.receive(Self.answer("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"))
            == .failed(.authenticationFailed))
    }

    @Test("405 and 501 fail the proxy: it does not tunnel")
    func noConnect() {
        var machine = HTTPConnectHandshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        guard case .failed(.unsupported) = machine.receive(Self.answer("HTTP/1.1 405 Method Not Allowed\r\n\r\n"))
        else {
            Issue.record("405 not a proxy failure")
            return
        }
    }

    @Test("an answer that is not HTTP, or headers without end, are protocol violations")
    func violations() {
        var socks = HTTPConnectHandshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        guard case .failed(.protocolViolation) = socks.receive([5, 0xFF, 0, 0, 0, 0]) else {
            Issue.record("SOCKS bytes accepted as HTTP")
            return
        }
        var endless = HTTPConnectHandshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        #expect(endless.receive(Self.answer("HTTP/1.1 200 OK\r\n")) == .needMore)
        let header = Self.answer("X-Pad: " + String(repeating: "a", count: 100) + "\r\n")
        var step = ProxyHandshakeStep.needMore
        for _ in 0..<200 where step == .needMore { step = endless.receive(header) }
        guard case .failed(.protocolViolation) = step else {
            Issue.record("unbounded headers accepted")
            return
        }
        var garbled = HTTPConnectHandshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        guard case .failed(.protocolViolation) = garbled.receive(Self.answer("HTTP/1.1 2x0 OK\r\n\r\n")) else {
            Issue.record("a malformed status line accepted")
            return
        }
    }

    @Test("base64 matches RFC 4648 §10's test vectors", arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func base64(input: String, output: String) {
        #expect(Base64.encode(Array(input.utf8)) == output)
    }
}
