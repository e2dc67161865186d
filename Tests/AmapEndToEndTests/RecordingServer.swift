import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP server on 127.0.0.1 (a free port) that records every byte each connection sends and answers the requests it
/// knows: the end-to-end tests use it to see exactly which triggers `amap` sent.
///
/// `@unchecked Sendable`: the mutable state (`received`, `stopped`) is only read or written while holding `lock`;
/// `fd` and `port` are set once in `init` and never change.
final class RecordingServer: @unchecked Sendable {
    /// The port it listens on.
    let port: Int
    private let fd: Int32
    private let replies: [(marker: String, answer: String)]
    private let lock = NSLock()
    private var received: [[UInt8]] = []
    private var stopped = false

    /// What went wrong while opening the listening socket.
    struct SetupError: Error, CustomStringConvertible {
        let description: String
    }

    /// Listens on 127.0.0.1; a connection whose data contains `marker` gets `answer` back and is closed.
    init(replies: [(marker: String, answer: String)]) throws {
        self.replies = replies
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
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw SetupError(description: "bind/listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Every connection's bytes, in the order the connections ended.
    var connections: [[UInt8]] { lock.withLock { received } }

    /// Whether any connection carried `text`.
    func received(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        return connections.contains { Self.contains($0, needle) }
    }

    /// Stops accepting; connections in progress finish on their own.
    func stop() {
        lock.withLock { stopped = true }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop() {
        defer { close(fd) }
        while !isStopped {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) == 1 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    /// Reads for up to 3 s (or until the peer closes, or a marker arrives), answers a known request, closes.
    private func serve(_ client: Int32) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let deadline = Date().addingTimeInterval(3)
        var answer: String?
        while answer == nil, Date() < deadline {
            var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) == 1 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
            answer = replies.first { Self.contains(bytes, Array($0.marker.utf8)) }?.answer
        }
        if let answer {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            _ = Array(answer.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, flags) }
        }
        close(client)
        lock.withLock { received.append(bytes) }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<start + needle.count].elementsEqual(needle)
        }
    }
}
