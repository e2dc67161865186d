import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 127.0.0.1 TCP port that refuses connections and that no parallel test can take: it is bound but never
/// listened on (the kernel answers a SYN with RST), and stays reserved until `release()`.
public final class ClosedPort: Sendable {
    /// The refusing port.
    public let port: UInt16
    private let descriptor: Int32

    /// Reserves a port.
    public init() throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw LoopbackTCPServer.SetupError(description: "bind a closed port: \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Frees the port.
    public func release() { close(descriptor) }
}
