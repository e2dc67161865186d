import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Minimal blocking socket checks on loopback, used to see which daemons of the table answer before a scan.
public enum PortProbe {
    /// What a connect or a datagram got back.
    public enum Outcome: Equatable, Sendable, CustomStringConvertible {
        case answered
        case refused
        case silent
        case failed(String)

        public var description: String {
            switch self {
            case .answered: return "answers"
            case .refused: return "refused"
            case .silent: return "no answer"
            case .failed(let reason): return reason
            }
        }
    }

    /// TCP: `.answered` when a connection is accepted within `milliseconds`, `.refused` on a reset.
    public static func tcp(address: String, port: Int, milliseconds: Int32 = 1_000) -> Outcome {
        withSocket(address: address, port: port, stream: true) { fd, pointer, length in
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if connect(fd, pointer, length) == 0 { return .answered }
            guard errno == EINPROGRESS else {
                return errno == ECONNREFUSED ? .refused : .failed(String(cString: strerror(errno)))
            }
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&descriptor, 1, milliseconds) == 1 else { return .silent }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error == 0 { return .answered }
            return error == ECONNREFUSED ? .refused : .failed(String(cString: strerror(error)))
        }
    }

    /// UDP: sends `payload` on a connected socket and waits `milliseconds` for a datagram (`.answered`) or an ICMP
    /// port unreachable (`.refused`).
    public static func udp(address: String, port: Int, payload: [UInt8], milliseconds: Int32 = 1_000,
                           anyReplyPort: Bool = false) -> Outcome {
        withSocket(address: address, port: port, stream: false) { fd, pointer, length in
            let sent: Int
            if anyReplyPort {
                // Unconnected: a reply from any port is taken (and an ICMP refusal goes unseen).
                sent = payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, pointer, length) }
            } else {
                guard connect(fd, pointer, length) == 0 else { return .failed(String(cString: strerror(errno))) }
                sent = payload.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            }
            if sent < 0 { return errno == ECONNREFUSED ? .refused : .failed(String(cString: strerror(errno))) }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, milliseconds) == 1 else { return .silent }
            var buffer = [UInt8](repeating: 0, count: 2_048)
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if received >= 0 { return .answered }
            return errno == ECONNREFUSED ? .refused : .failed(String(cString: strerror(errno)))
        }
    }

    private static func withSocket(
        address: String, port: Int, stream: Bool,
        _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Outcome
    ) -> Outcome {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        #if canImport(Glibc)
        hints.ai_socktype = Int32(stream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        #else
        hints.ai_socktype = stream ? SOCK_STREAM : SOCK_DGRAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address, String(port), &hints, &list) == 0, let info = list else {
            return .failed("not a numeric address: \(address)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, 0)
        guard fd >= 0 else { return .failed(String(cString: strerror(errno))) }
        defer { close(fd) }
        guard let socketAddress = info.pointee.ai_addr else { return .failed("no socket address") }
        return body(fd, socketAddress, info.pointee.ai_addrlen)
    }
}

/// Requests that make the table's UDP daemons answer, written from the protocol specifications.
public enum UDPRequests {
    /// RFC 1035 §4.1: one question, `amap.test` type A class IN, recursion desired.
    public static let dnsQuery: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        + [0x04] + Array("amap".utf8) + [0x04] + Array("test".utf8) + [0x00, 0x00, 0x01, 0x00, 0x01]

    /// RFC 1157 GetRequest (BER, RFC 3416 PDU) for sysDescr.0 (1.3.6.1.2.1.1.1.0) with community `public`.
    public static let snmpGet: [UInt8] = [0x30, 0x26, 0x02, 0x01, 0x00, 0x04, 0x06] + Array("public".utf8)
        + [0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c]
        + [0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00]

    /// RFC 5905 §7.3: a 48-byte NTP client (mode 3) packet, version 4.
    public static let ntpClient: [UInt8] = [0x23] + [UInt8](repeating: 0, count: 47)

    /// RFC 1350: a read request for a file that does not exist; the answer (ERROR) comes from another port.
    public static let tftpReadMissing: [UInt8] = [0x00, 0x01] + Array("amap-check-missing".utf8) + [0x00]
        + Array("octet".utf8) + [0x00]

    /// memcached's protocol.txt, "UDP protocol": an 8-byte frame header, then `version`.
    public static let memcachedVersion: [UInt8] = [0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]
        + Array("version\r\n".utf8)

    /// RFC 4120 §5.4.1: an AS-REQ for amap-check@AMAP.TEST (krbtgt/AMAP.TEST, etypes 18 and 17), built as
    /// scripts/daemon_probes.py's kerberos_as_req() builds it; the KDC answers KRB-ERROR.
    public static let kerberosASRequest: [UInt8] = {
        func der(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
            let count = content.count
            let length: [UInt8] = count < 0x80 ? [UInt8(count)]
                : count < 0x100 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xff)]
            return [tag] + length + content
        }
        func integer(_ value: UInt8) -> [UInt8] { der(0x02, [value]) }
        func text(_ value: String) -> [UInt8] { der(0x1b, Array(value.utf8)) }
        func principal(_ type: UInt8, _ names: [String]) -> [UInt8] {
            der(0x30, der(0xa0, integer(type)) + der(0xa1, der(0x30, names.flatMap(text))))
        }
        let body = der(0x30, der(0xa0, der(0x03, [0, 0, 0, 0, 0])) + der(0xa1, principal(1, ["amap-check"]))
            + der(0xa2, text("AMAP.TEST")) + der(0xa3, principal(2, ["krbtgt", "AMAP.TEST"]))
            + der(0xa5, der(0x18, Array("20370913024805Z".utf8))) + der(0xa7, der(0x02, Array("AMAP".utf8)))
            + der(0xa8, der(0x30, integer(18) + integer(17))))
        return der(0x6a, der(0x30, der(0xa1, integer(5)) + der(0xa2, integer(10)) + der(0xa4, body)))
    }()
    /// RFC 3261 §11 OPTIONS (a SIP server ignores a datagram that does not parse as SIP); `rport` (RFC 3581) makes the
    /// answer come back to the sending port.
    public static let sipOptions: [UInt8] = Array(("OPTIONS sip:check@127.0.0.1 SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKamapcheck;rport\r\nFrom: <sip:check@127.0.0.1>;tag=1\r\n"
        + "To: <sip:check@127.0.0.1>\r\nCall-ID: amap-check\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
        + "Content-Length: 0\r\n\r\n").utf8)

    /// RFC 5531 §9: an ONC RPC NULL call (procedure 0, AUTH_NONE) to program 100000 version 2 (RFC 1833).
    public static let rpcNullCall: [UInt8] = [0x61, 0x6d, 0x61, 0x70] + [0, 0, 0, 0] + [0, 0, 0, 2]
        + [0x00, 0x01, 0x86, 0xa0] + [0, 0, 0, 2] + [UInt8](repeating: 0, count: 20)

    /// The request that makes a daemon of `service` answer.
    public static func request(forService service: String) -> [UInt8] {
        switch service {
        case "domain": return dnsQuery
        case "snmp": return snmpGet
        case "ntp": return ntpClient
        case "tftp": return tftpReadMissing
        case "memcached": return memcachedVersion
        case "kerberos-sec": return kerberosASRequest
        case "sip": return sipOptions
        case "rpcbind": return rpcNullCall
        default: return [0]
        }
    }

    /// Services whose server answers from another port (TFTP's transfer identifier): their check cannot use a
    /// connected socket.
    public static func answersFromAnotherPort(service: String) -> Bool { service == "tftp" }
}
