import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 127.0.0.1 TCP port whose connects time out: it listens with a backlog of 0 and never accepts, and its accept
/// queue is filled at once by connections of its own, so the kernel drops every further SYN (a filtered port,
/// without a firewall rule).
public final class BacklogFullPort: Sendable {
    /// The port.
    public let port: UInt16
    private let descriptors: [Int32]

    /// What went wrong while setting the port up.
    public struct SetupError: Error, CustomStringConvertible {
        /// The failed step.
        public let description: String
    }

    /// Listens and fills the queue.
    public init() throws {
        #if canImport(Glibc)
        let stream = Int32(SOCK_STREAM.rawValue)
        #else
        let stream = SOCK_STREAM
        #endif
        let listener = socket(AF_INET, stream, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw SetupError(description: "bind/listen: \(String(cString: strerror(errno)))")
        }
        var all = [listener]
        // Linux queues backlog + 1 connections; a few more make sure the queue is full.
        for _ in 0..<3 {
            let client = socket(AF_INET, stream, 0)
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) }
            }
            all.append(client)
        }
        descriptors = all
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Closes the listener and the connections that fill it.
    public func release() {
        for descriptor in descriptors { close(descriptor) }
    }
}
