/// What a proxy handshake machine asks its driver to do after it was given bytes.
enum ProxyHandshakeStep: Sendable, Hashable {
    /// Wait for more bytes.
    case needMore
    /// Send these bytes to the proxy, then wait for its answer.
    case send([UInt8])
    /// The proxy accepted us (greeting and authentication passed) and no tunnel was asked for: the up-front check of
    /// a SOCKS5 proxy ends here.
    case authenticated
    /// The tunnel is up; `leftover` are bytes that followed the proxy's reply in the same read: the target's first
    /// bytes (a banner).
    case tunnel(leftover: [UInt8])
    /// The proxy could not reach the target and said why: the port's state.
    case refused(ProxyRefusal)
    /// The proxy itself failed.
    case failed(ProxyError.Reason)
}

/// The client side of a proxy handshake as a value: the bytes to send first, then bytes in and steps out. No I/O;
/// `ProxyHandshakeHandler` runs it on a channel.
protocol ProxyHandshake: Sendable {
    /// The first bytes to send once the TCP connection to the proxy is up.
    func opening() -> [UInt8]
    /// Takes bytes from the proxy (any split), says what to do next.
    mutating func receive(_ bytes: [UInt8]) -> ProxyHandshakeStep
    /// True once the request for the target has been sent: a close or a timeout from now on concerns the target,
    /// before it the proxy.
    var isAwaitingTarget: Bool { get }
    /// What the proxy is at this step, for messages (`the SOCKS5 greeting`, `the CONNECT request`).
    var stepName: String { get }
}

/// Where the proxy is asked to connect.
enum ProxyDestination: Sendable, Hashable {
    /// An IPv4 address, 4 bytes.
    case ipv4([UInt8])
    /// An IPv6 address, 16 bytes.
    case ipv6([UInt8])
    /// A host name the proxy resolves.
    case name(String)

    /// The destination for `address` (a numeric address or, when the proxy resolves names, a host name).
    init(address: String) {
        if let v4 = Self.ipv4Bytes(address) {
            self = .ipv4(v4)
        } else if let v6 = Self.ipv6Bytes(address) {
            self = .ipv6(v6)
        } else {
            self = .name(address)
        }
    }

    /// The host as HTTP writes it in CONNECT's authority (RFC 9110 §9.3.6): an IPv6 address in brackets.
    var authorityHost: String {
        switch self {
        case .ipv4(let bytes): bytes.map(String.init).joined(separator: ".")
        case .ipv6(let bytes): "[\(Self.ipv6Text(bytes))]"
        case .name(let name): name
        }
    }

    /// Dotted quad to bytes.
    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else {
                return nil
            }
            bytes.append(value)
        }
        return bytes
    }

    /// RFC 4291 §2.2 text (with `::` and an embedded IPv4 tail) to 16 bytes; a zone (`%eth0`) is dropped.
    static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var address = Substring(text)
        if let percent = address.firstIndex(of: "%") { address = address[..<percent] }
        guard address.contains(":") else { return nil }
        var tail: [UInt8] = []
        if let lastColon = address.lastIndex(of: ":"), address[address.index(after: lastColon)...].contains(".") {
            guard let v4 = ipv4Bytes(String(address[address.index(after: lastColon)...])) else { return nil }
            tail = v4
            address = address[...lastColon]
            if address.hasSuffix(":") && !address.hasSuffix("::") { address = address.dropLast() }
        }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        let wanted = 8 - tail.count / 2
        var words: [UInt16]
        if let gap = address.range(of: "::") {
            guard let head = groups(address[..<gap.lowerBound]), let rest = groups(address[gap.upperBound...]),
                !address[gap.upperBound...].contains("::"), head.count + rest.count < wanted
            else { return nil }
            words = head + Array(repeating: 0, count: wanted - head.count - rest.count) + rest
        } else {
            guard let all = groups(address), all.count == wanted else { return nil }
            words = all
        }
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } + tail
    }

    /// 16 bytes as RFC 5952 text (lower case, the longest run of zero groups as `::`).
    static func ipv6Text(_ bytes: [UInt8]) -> String {
        let words = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var best: (start: Int, length: Int) = (-1, 0)
        var index = 0
        while index < 8 {
            guard words[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8 && words[end] == 0 { end += 1 }
            if end - index > best.length && end - index > 1 { best = (index, end - index) }
            index = end
        }
        let text = words.map { String($0, radix: 16) }
        guard best.start >= 0 else { return text.joined(separator: ":") }
        let head = text[..<best.start].joined(separator: ":")
        let tail = text[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}
