import AmapModel
import Testing
@testable import AmapEngine

@Suite("SOCKS5 handshake (RFC 1928, RFC 1929)")
struct SOCKS5HandshakeTests {
    static let alice = ProxyCredentials(username: "alice", password: "pw")

    @Test("greeting, CONNECT to an IPv4 address, reply, and the target's first bytes passed on")
    func noAuthentication() {
        var machine = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 18122, credentials: nil)
        #expect(machine.opening() == [5, 1, 0])
        #expect(!machine.isAwaitingTarget)
        #expect(machine.receive([5, 0]) == .send([5, 1, 0, 1, 127, 0, 0, 1, 0x46, 0xCA]))
        #expect(machine.isAwaitingTarget)
        // The reply arrives in pieces, and the banner right behind it.
        #expect(machine.receive([5, 0, 0]) == .needMore)
        #expect(machine.receive([1, 127, 0, 0, 1, 0x10]) == .needMore)
        #expect(machine.receive([0x00] + Array("SSH-2.0".utf8)) == .tunnel(leftover: Array("SSH-2.0".utf8)))
    }

    @Test("username/password: offered with no-auth, sent when chosen, then CONNECT")
    func usernamePassword() {
        var machine = SOCKS5Handshake(destination: .name("localhost"), port: 80, credentials: Self.alice)
        #expect(machine.opening() == [5, 2, 0, 2])
        #expect(machine.receive([5, 2]) == .send([1, 5] + Array("alice".utf8) + [2] + Array("pw".utf8)))
        let connect: [UInt8] = [5, 1, 0, 3, 9] + Array("localhost".utf8) + [0, 80]
        #expect(machine.receive([1, 0]) == .send(connect))
        // A reply with a DOMAINNAME bound address.
        #expect(machine.receive([5, 0, 0, 3, 2, 0x61, 0x62, 0, 1]) == .tunnel(leftover: []))
    }

    @Test("an IPv6 destination uses address type 4")
    func ipv6() {
        let loopback = ProxyDestination(address: "::1")
        var machine = SOCKS5Handshake(destination: loopback, port: 443, credentials: nil)
        guard case .send(let request) = machine.receive([5, 0]) else {
            Issue.record("no CONNECT request")
            return
        }
        #expect(request == [5, 1, 0, 4] + Array(repeating: 0, count: 15) + [1, 0x01, 0xBB])
        let reply: [UInt8] = [5, 0, 0, 4] + Array(repeating: 0, count: 16) + [0, 0]
        #expect(machine.receive(reply) == .tunnel(leftover: []))
    }

    @Test("rejected credentials, wanted credentials and no acceptable method fail the proxy")
    func authenticationFailures() {
        var rejected = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: Self.alice)
        _ = rejected.receive([5, 2])
        #expect(rejected.receive([1, 1]) == .failed(.authenticationFailed))

        var wanted = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        #expect(wanted.receive([5, 2]) == .failed(.authenticationRequired))
        var noneAcceptable = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        #expect(noneAcceptable.receive([5, 0xFF]) == .failed(.authenticationRequired))
        var withCredentials = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: Self.alice)
        #expect(withCredentials.receive([5, 0xFF]) == .failed(.noAcceptableMethod))
    }

    @Test("a server that is not SOCKS5 is a protocol violation")
    func notSOCKS5() {
        var machine = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        guard case .failed(.protocolViolation(let text)) = machine.receive(Array("SSH-2.0-OpenSSH".utf8)) else {
            Issue.record("not refused")
            return
        }
        #expect(text.contains("0x53"))
        var unoffered = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        #expect(unoffered.receive([5, 2]) == .failed(.authenticationRequired))
        var odd = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        guard case .failed(.protocolViolation) = odd.receive([5, 0x80]) else {
            Issue.record("a method that was not offered was accepted")
            return
        }
    }

    @Test("reply codes map to port states: refused is closed; unreachable, TTL expired and the rest filtered",
          arguments: [
              (UInt8(0x05), PortState.closed, "connection refused"),
              (0x03, .filtered, "network unreachable"),
              (0x04, .filtered, "host unreachable"),
              (0x06, .filtered, "TTL expired"),
              (0x02, .filtered, "not allowed"),
              (0x01, .filtered, "general SOCKS server failure"),
              (0x08, .filtered, "address type"),
              (0x42, .filtered, "unknown"),
          ])
    func replyCodes(code: UInt8, state: PortState, words: String) {
        var machine = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        _ = machine.receive([5, 0])
        // Decided on VER REP alone: some proxies close right after a failure code.
        guard case .refused(let refusal) = machine.receive([5, code]) else {
            Issue.record("reply \(code) not read as a refusal")
            return
        }
        #expect(refusal.state == state)
        #expect(refusal.note.contains(words))
        #expect(refusal.note.contains(SOCKS5Handshake.hex(code)))
    }

    @Test("'command not supported' fails the proxy: it cannot tunnel anything")
    func commandNotSupported() {
        var machine = SOCKS5Handshake(destination: .ipv4([127, 0, 0, 1]), port: 1, credentials: nil)
        _ = machine.receive([5, 0])
        guard case .failed(.unsupported) = machine.receive([5, 7]) else {
            Issue.record("not a proxy failure")
            return
        }
    }

    @Test("the up-front check greets and authenticates, and asks for no tunnel")
    func checkOnly() {
        var plain = SOCKS5Handshake(destination: nil, port: 0, credentials: nil)
        #expect(plain.receive([5, 0]) == .authenticated)
        var authenticated = SOCKS5Handshake(destination: nil, port: 0, credentials: Self.alice)
        guard case .send = authenticated.receive([5, 2]) else {
            Issue.record("no credentials sent")
            return
        }
        #expect(authenticated.receive([1, 0]) == .authenticated)
    }

    @Test("host names of 1 to 255 bytes can be carried")
    func nameLengths() {
        #expect(SOCKS5Handshake.canCarry(.name(String(repeating: "a", count: 255))))
        #expect(!SOCKS5Handshake.canCarry(.name(String(repeating: "a", count: 256))))
        #expect(!SOCKS5Handshake.canCarry(.name("")))
    }

    static let destinationCases: [(String, ProxyDestination)] = [
        ("127.0.0.1", .ipv4([127, 0, 0, 1])),
        ("::1", .ipv6(Array(repeating: 0, count: 15) + [1])),
        ("::ffff:10.0.0.1", .ipv6(Array(repeating: 0, count: 10) + [0xFF, 0xFF, 10, 0, 0, 1])),
        ("2001:db8::2:1", .ipv6([0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 8) + [0, 2, 0, 1])),
        ("localhost", .name("localhost")),
        ("1.2.3", .name("1.2.3")),
        ("256.1.1.1", .name("256.1.1.1")),
    ]

    @Test("addresses become the right destination types", arguments: destinationCases)
    func destinations(address: String, expected: ProxyDestination) {
        #expect(ProxyDestination(address: address) == expected)
    }
}
