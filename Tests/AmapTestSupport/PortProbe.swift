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
    public static func udp(address: String, port: Int, payload: [UInt8], milliseconds: Int32 = 1_000) -> Outcome {
        withSocket(address: address, port: port, stream: false) { fd, pointer, length in
            guard connect(fd, pointer, length) == 0 else { return .failed(String(cString: strerror(errno))) }
            let sent = payload.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
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

    public static func request(forService service: String) -> [UInt8] {
        switch service {
        case "domain": return dnsQuery
        case "snmp": return snmpGet
        default: return [0]
        }
    }
}
