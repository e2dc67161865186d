import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP server on 127.0.0.1 (a free port) for tests that run `amap` or the library against it: it optionally
/// greets, passes everything a connection has sent so far to `respond` after each read, sends the answer once and
/// closes; it records every connection's bytes, so a test can see exactly which probes arrived.
/// Blocking sockets on plain threads: it is test scaffolding, not the engine.
///
/// `@unchecked Sendable`: the mutable state (`received`, `stopped`) is only read or written while holding `lock`;
/// `listener` and `port` are set once in `init` and never change.
public final class LoopbackTCPServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: UInt16
    private let listener: Int32
    private let greeting: [UInt8]?
    private let respond: @Sendable ([UInt8]) -> [UInt8]?
    private let lock = NSLock()
    private var received: [[UInt8]] = []
    private var stopped = false

    /// What went wrong while opening a socket.
    public struct SetupError: Error, CustomStringConvertible {
        /// The failed step and the system's reason.
        public let description: String
    }

    /// How long one connection is served at most: a client that neither closes nor draws an answer is dropped.
    public static let connectionLimit: TimeInterval = 30

    /// Listens on 127.0.0.1; each connection gets `greeting` first, then `respond`'s first non-nil answer.
    public init(greeting: [UInt8]? = nil, respond: @escaping @Sendable ([UInt8]) -> [UInt8]? = { _ in nil }) throws {
        self.greeting = greeting
        self.respond = respond
        #if canImport(Glibc)
        let socketType = Int32(SOCK_STREAM.rawValue)
        #else
        let socketType = SOCK_STREAM
        #endif
        let fd = socket(AF_INET, socketType, 0)
        guard fd >= 0 else { throw SetupError(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw SetupError(description: "bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// A server that answers a connection whose bytes contain `marker` with `answer` (the first that fits).
    public convenience init(replies: [(marker: String, answer: String)]) throws {
        let table = replies.map { (Array($0.marker.utf8), Array($0.answer.utf8)) }
        try self.init { received in table.first { Self.contains(received, $0.0) }?.1 }
    }

    /// Every connection's bytes, in the order the connections were answered or ended.
    public var connections: [[UInt8]] { lock.withLock { received } }

    /// Whether any recorded connection carried `text`.
    public func received(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        return connections.contains { Self.contains($0, needle) }
    }

    /// Stops accepting at once (the listener is shut down, so a new connection is refused) and ends the
    /// connections in progress within 100 ms. The listener is closed once, by the accept loop: a second close(2)
    /// would close whatever descriptor the kernel has handed out under the same number since (an event loop's
    /// socket: NIO then dies with EBADF in epoll_ctl, as a full-suite run did).
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        defer { close(listener) }
        while !isStopped {
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) == 1 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    /// Greets, reads until the peer closes, an answer is due or the connection limit passes, answers, closes.
    private func serve(_ client: Int32) {
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        if let greeting { _ = greeting.withUnsafeBytes { send(client, $0.baseAddress, $0.count, flags) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let deadline = Date().addingTimeInterval(Self.connectionLimit)
        var answer: [UInt8]?
        while answer == nil, Date() < deadline, !isStopped {
            var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) == 1 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
            answer = respond(bytes)
        }
        // Recorded before the answer goes out: a client that exits as soon as it has the answer (amap, once the port
        // is identified) must find its bytes here already, not 200 ms later.
        lock.withLock { received.append(bytes) }
        if let answer {
            _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, flags) }
            // Give the client time to read before the close.
            usleep(200_000)
        }
        close(client)
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<start + needle.count].elementsEqual(needle)
        }
    }
}
