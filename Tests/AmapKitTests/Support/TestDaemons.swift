import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loopback daemons of scripts/daemon-ports.tsv (started by scripts/daemons.sh), read at test time.
enum TestDaemons {
    struct Row {
        var name: String
        var address: String
        var port: UInt16
        var transport: String
        /// The expected service in nmap's vocabulary (`ssl/` prefix for TLS-wrapped); empty for silent/closed.
        var service: String
        var state: String
    }

    static var rows: [Row] {
        let url = AmapBinary.packageRoot.appendingPathComponent("scripts/daemon-ports.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 7, let port = UInt16(fields[2]) else { return nil }
            return Row(name: fields[0], address: fields[1], port: port, transport: fields[3], service: fields[4],
                       state: fields[6])
        }
    }

    /// TCP ports of 127.0.0.1 in the table (open, silent and closed rows), ascending.
    static var ipv4TCPPorts: [UInt16] {
        Array(Set(rows.filter { $0.address == "127.0.0.1" && $0.transport == "tcp" }.map(\.port))).sorted()
    }

    /// True when the daemons are up: every open IPv4 TCP row accepts a connection.
    static let running: Bool = {
        let open = rows.filter { $0.address == "127.0.0.1" && $0.transport == "tcp" && $0.state == "open" }
        return !open.isEmpty && open.allSatisfy { accepts(port: $0.port) }
    }()

    /// Whether 127.0.0.1:port accepts a TCP connection.
    static func accepts(port: UInt16) -> Bool {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
