import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP server on 127.0.0.1 (ephemeral port) for tests: optionally greets, then passes everything a client has
/// sent so far to `respond` after each read, and sends its answer (once per connection) when it returns one.
/// Blocking sockets on plain threads: it is test scaffolding, not the engine.
///
/// `@unchecked Sendable` is safe: the only mutable state (`stopped`) is guarded by `lock`; the descriptor is
/// written once in `init`.
final class LoopbackLineServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false

    init(greeting: [UInt8]? = nil, respond: @escaping @Sendable ([UInt8]) -> [UInt8]?) throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw ServerError(step: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw ServerError(step: "bind/listen")
        }
        listener = descriptor
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop(greeting: greeting, respond: respond) }
        thread.start()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func acceptLoop(greeting: [UInt8]?, respond: @escaping @Sendable ([UInt8]) -> [UInt8]?) {
        while !isStopped {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            Thread { Self.serve(client, greeting: greeting, respond: respond) }.start()
        }
    }

    private static func serve(_ client: Int32, greeting: [UInt8]?, respond: ([UInt8]) -> [UInt8]?) {
        defer { close(client) }
        if let greeting { _ = greeting.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) } }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            received += buffer[0..<count]
            if let answer = respond(received) {
                _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
                // Give the client time to read before the close.
                usleep(200_000)
                return
            }
        }
    }

    /// Stops accepting and closes the listener, once: `deinit` calls it again, and a second close(2) would close
    /// whatever descriptor the kernel has handed out under the same number since (an event loop's socket: NIO then
    /// dies with EBADF in epoll_ctl, as a full-suite run did).
    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    struct ServerError: Error {
        var step: String
    }
}
