import AmapModel
import AmapSignatures
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a host name into numeric addresses with getaddrinfo, on NIO's blocking-I/O thread pool, never on an
/// event loop.
public enum EndpointResolver {
    /// Why a name did not resolve.
    public struct ResolveError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The name that was looked up.
        public var host: String
        /// getaddrinfo's explanation.
        public var reason: String

        /// Creates an error.
        public init(host: String, reason: String) {
            self.host = host
            self.reason = reason
        }

        /// `could not resolve "name": reason`.
        public var description: String { "could not resolve \"\(host)\": \(reason)" }
    }

    /// The numeric addresses of `host`, IPv4 first unless `preferIPv6` (each family keeps the resolver's order).
    /// A numeric literal is returned as it is, without a lookup.
    public static func addresses(
        of host: String,
        preferIPv6: Bool = false,
        threadPool: NIOThreadPool = .singleton
    ) async throws -> [String] {
        let literal = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if isNumeric(literal) { return [literal] }
        if isReservedInvalid(literal) {
            throw ResolveError(host: host, reason: "names under .invalid never resolve (RFC 6761 §6.4)")
        }
        let found = try await threadPool.runIfActive { try lookUp(literal) }
        let v6 = found.filter { $0.contains(":") }
        let v4 = found.filter { !$0.contains(":") }
        return preferIPv6 ? v6 + v4 : v4 + v6
    }

    /// `Endpoint`s for every port of `host` on `transport`, using its first address (amap resolves once and uses the
    /// first result).
    public static func endpoints(
        host: String,
        ports: [UInt16],
        transport: Transport,
        preferIPv6: Bool = false
    ) async throws -> [Endpoint] {
        guard let address = try await addresses(of: host, preferIPv6: preferIPv6).first else {
            throw ResolveError(host: host, reason: "no address")
        }
        return ports.map { Endpoint(host: host, address: address, port: $0, transport: transport) }
    }

    /// True for names under the reserved `.invalid` top-level domain, which RFC 6761 §6.4 asks resolver libraries
    /// to refuse at once: no query leaves the machine for them.
    public static func isReservedInvalid(_ name: String) -> Bool {
        let lowered = name.lowercased()
        let trimmed = lowered.hasSuffix(".") ? String(lowered.dropLast()) : lowered
        return trimmed == "invalid" || trimmed.hasSuffix(".invalid")
    }

    /// True for an IPv4 or IPv6 address literal.
    public static func isNumeric(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    private static func lookUp(_ host: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw ResolveError(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var result: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let text = numericHost(current.pointee), !result.contains(text) { result.append(text) }
            node = current.pointee.ai_next
        }
        return result
    }

    private static func numericHost(_ info: addrinfo) -> String? {
        guard let address = info.ai_addr else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = getnameinfo(address, info.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
        guard status == 0 else { return nil }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
