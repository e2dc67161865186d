import AmapModel

/// The client side of a SOCKS5 CONNECT (RFC 1928) with optional username/password authentication (RFC 1929), as a
/// state machine: `opening()` is the greeting, each `receive` takes the proxy's bytes in any split.
///
/// Without a destination it only greets and authenticates (the up-front check of the proxy): it then ends with
/// `.authenticated` and never asks for a tunnel.
struct SOCKS5Handshake: ProxyHandshake {
    /// Where the handshake is.
    enum Phase: Sendable, Hashable {
        /// The greeting (the offered methods) was sent; waiting for the method the proxy chose.
        case awaitingMethod
        /// The RFC 1929 request was sent; waiting for its status.
        case awaitingAuthentication
        /// The CONNECT request was sent; waiting for the reply.
        case awaitingReply
        /// Tunnel up, check passed, or failed: nothing more to read.
        case done
    }

    /// RFC 1928 §3: the protocol version byte.
    static let version: UInt8 = 0x05
    /// RFC 1928 §3: X'00' NO AUTHENTICATION REQUIRED.
    static let methodNone: UInt8 = 0x00
    /// RFC 1928 §3: X'02' USERNAME/PASSWORD.
    static let methodUsernamePassword: UInt8 = 0x02
    /// RFC 1928 §3: X'FF' NO ACCEPTABLE METHODS.
    static let methodNoneAcceptable: UInt8 = 0xFF
    /// RFC 1929 §2: the version of the username/password subnegotiation.
    static let authenticationVersion: UInt8 = 0x01
    /// RFC 1928 §4: CMD X'01' CONNECT.
    static let commandConnect: UInt8 = 0x01
    /// RFC 1928 §5: address types.
    static let addressIPv4: UInt8 = 0x01, addressName: UInt8 = 0x03, addressIPv6: UInt8 = 0x04
    /// The longest host name the DOMAINNAME address type carries (one length byte, RFC 1928 §5).
    static let maximumNameBytes = 255

    /// Where the proxy should connect; nil for the up-front check.
    let destination: ProxyDestination?
    /// The target port.
    let port: UInt16
    /// The RFC 1929 credentials, if any.
    let credentials: ProxyCredentials?
    /// Where the handshake is.
    private(set) var phase = Phase.awaitingMethod
    private var buffer: [UInt8] = []

    /// A handshake that asks for a tunnel to `destination`:`port` (nil destination: greet and authenticate only).
    init(destination: ProxyDestination?, port: UInt16, credentials: ProxyCredentials?) {
        self.destination = destination
        self.port = port
        self.credentials = credentials
    }

    /// True when a host name can be sent (RFC 1928 §5: 1 to 255 bytes).
    static func canCarry(_ destination: ProxyDestination) -> Bool {
        guard case .name(let name) = destination else { return true }
        return (1...maximumNameBytes).contains(name.utf8.count)
    }

    /// The greeting: no authentication, and username/password when credentials are given.
    func opening() -> [UInt8] {
        let methods = credentials == nil ? [Self.methodNone] : [Self.methodNone, Self.methodUsernamePassword]
        return [Self.version, UInt8(methods.count)] + methods
    }

    var isAwaitingTarget: Bool { phase == .awaitingReply }

    var stepName: String {
        switch phase {
        case .awaitingMethod: "after the SOCKS5 greeting"
        case .awaitingAuthentication: "after the SOCKS5 user name and password"
        case .awaitingReply, .done: "after the SOCKS5 CONNECT request"
        }
    }

    mutating func receive(_ bytes: [UInt8]) -> ProxyHandshakeStep {
        buffer += bytes
        switch phase {
        case .awaitingMethod: return methodChosen()
        case .awaitingAuthentication: return authenticationAnswered()
        case .awaitingReply: return connectAnswered()
        case .done: return .needMore
        }
    }

    private mutating func methodChosen() -> ProxyHandshakeStep {
        guard buffer.count >= 2 else { return .needMore }
        let (version, method) = (buffer[0], buffer[1])
        buffer.removeFirst(2)
        guard version == Self.version else {
            return fail(.protocolViolation("the answer to the SOCKS5 greeting starts with version byte "
                + "\(Self.hex(version)), not 0x05"))
        }
        switch method {
        case Self.methodNone:
            return afterAuthentication()
        case Self.methodUsernamePassword:
            guard let credentials else { return fail(.authenticationRequired) }
            phase = .awaitingAuthentication
            let user = Array(credentials.username.utf8), password = Array(credentials.password.utf8)
            return .send([Self.authenticationVersion, UInt8(user.count)] + user + [UInt8(password.count)] + password)
        case Self.methodNoneAcceptable:
            return fail(credentials == nil ? .authenticationRequired : .noAcceptableMethod)
        default:
            return fail(.protocolViolation("the proxy chose method \(Self.hex(method)), which was not offered"))
        }
    }

    private mutating func authenticationAnswered() -> ProxyHandshakeStep {
        guard buffer.count >= 2 else { return .needMore }
        let status = buffer[1]
        buffer.removeFirst(2)
        // RFC 1929 §2: X'00' is success, anything else failure (the version byte is not checked: some servers
        // answer the subnegotiation with 0x05).
        guard status == 0 else { return fail(.authenticationFailed) }
        return afterAuthentication()
    }

    private mutating func afterAuthentication() -> ProxyHandshakeStep {
        guard let destination else {
            phase = .done
            return .authenticated
        }
        phase = .awaitingReply
        return .send(Self.connectRequest(destination, port: port))
    }

    /// RFC 1928 §4: VER CMD RSV ATYP DST.ADDR DST.PORT.
    static func connectRequest(_ destination: ProxyDestination, port: UInt16) -> [UInt8] {
        var request: [UInt8] = [version, commandConnect, 0x00]
        switch destination {
        case .ipv4(let bytes): request += [addressIPv4] + bytes
        case .ipv6(let bytes): request += [addressIPv6] + bytes
        case .name(let name):
            let bytes = Array(name.utf8.prefix(maximumNameBytes))
            request += [addressName, UInt8(bytes.count)] + bytes
        }
        return request + [UInt8(port >> 8), UInt8(port & 0xFF)]
    }

    private mutating func connectAnswered() -> ProxyHandshakeStep {
        // A failure is known from the first two bytes: some proxies close right after VER REP when they fail.
        guard buffer.count >= 2 else { return .needMore }
        guard buffer[0] == Self.version else {
            return fail(.protocolViolation("the reply to CONNECT starts with version byte \(Self.hex(buffer[0]))"))
        }
        let reply = buffer[1]
        if reply != 0 {
            phase = .done
            return Self.verdict(reply: reply)
        }
        // VER REP RSV ATYP BND.ADDR BND.PORT: the reply's length depends on its address type.
        guard buffer.count >= 5 else { return .needMore }
        let addressLength: Int
        switch buffer[3] {
        case Self.addressIPv4: addressLength = 4
        case Self.addressIPv6: addressLength = 16
        case Self.addressName: addressLength = 1 + Int(buffer[4])
        default:
            return fail(.protocolViolation("the reply to CONNECT has address type \(Self.hex(buffer[3]))"))
        }
        let length = 4 + addressLength + 2
        guard buffer.count >= length else { return .needMore }
        phase = .done
        let leftover = Array(buffer[length...])
        buffer = []
        return .tunnel(leftover: leftover)
    }

    /// The port state a failed CONNECT reply means (RFC 1928 §6 names the codes).
    static func verdict(reply: UInt8) -> ProxyHandshakeStep {
        let code = "SOCKS5 reply \(hex(reply))"
        switch reply {
        case 0x05:
            return .refused(ProxyRefusal(state: .closed, note: "proxy: connection refused (\(code))"))
        case 0x03:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: network unreachable (\(code))"))
        case 0x04:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: host unreachable (\(code))"))
        case 0x06:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: TTL expired (\(code))"))
        case 0x02:
            return .refused(ProxyRefusal(state: .filtered,
                                         note: "proxy: connection not allowed by its rules (\(code))"))
        case 0x08:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: address type not supported (\(code))"))
        case 0x07:
            return .failed(.unsupported("it does not support the CONNECT command (\(code))"))
        case 0x01:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: general SOCKS server failure (\(code))"))
        default:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: unknown failure (\(code))"))
        }
    }

    private mutating func fail(_ reason: ProxyError.Reason) -> ProxyHandshakeStep {
        phase = .done
        buffer = []
        return .failed(reason)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }
}
