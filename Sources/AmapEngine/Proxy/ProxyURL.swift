/// The parser of `--proxy` URLs (RFC 3986's authority syntax, no path): pure, no I/O.
enum ProxyURL {
    /// The longest user name and password SOCKS5's username/password method can carry (one length byte each,
    /// RFC 1929 §2).
    static let maximumSOCKSCredentialBytes = 255

    /// Parses `scheme://[user:password@]host[:port][/]`.
    static func parse(_ text: String) throws(ProxyURLError) -> ProxyConfiguration {
        let shown = redacted(text)
        func fail(_ reason: String) -> ProxyURLError { ProxyURLError(url: shown, reason: reason) }

        guard let schemeEnd = text.range(of: "://") else {
            throw fail("give scheme://host:port with scheme socks5, socks5h or http")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard let kind = ProxyConfiguration.Kind(rawValue: scheme) else {
            let hint = scheme == "https" ? " (a TLS connection to the proxy is not supported)"
                : scheme.hasPrefix("socks4") ? " (SOCKS4 is not supported)" : ""
            throw fail("unknown scheme '\(scheme)'\(hint): use socks5, socks5h or http")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        if rest.contains(where: { "/?#".contains($0) }) {
            throw fail("a proxy URL has no path, query or fragment")
        }

        var credentials: ProxyCredentials?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw fail("give the user name and the password as user:password@")
            }
            guard let username = percentDecoded(userInfo[..<colon]),
                let password = percentDecoded(userInfo[userInfo.index(after: colon)...])
            else {
                throw fail("malformed %-escape in the user name or password")
            }
            guard !username.isEmpty else { throw fail("empty user name") }
            if kind != .http {
                for (what, value) in [("user name", username), ("password", password)] {
                    let bytes = value.utf8.count
                    guard bytes >= 1, bytes <= maximumSOCKSCredentialBytes else {
                        throw fail("a SOCKS5 \(what) has 1 to \(maximumSOCKSCredentialBytes) bytes (RFC 1929), "
                            + "got \(bytes)")
                    }
                }
            }
            credentials = ProxyCredentials(username: username, password: password)
        }

        let (host, portText) = try splitHostPort(rest, fail: fail)
        guard !host.isEmpty else { throw fail("no proxy host") }
        let port: UInt16
        if let portText {
            guard let value = UInt16(portText), value > 0 else {
                throw fail("the port must be 1 to 65535, got '\(portText)'")
            }
            port = value
        } else if kind == .http {
            throw fail("give the HTTP proxy's port (http://host:port)")
        } else {
            port = ProxyConfiguration.defaultSOCKSPort
        }
        return ProxyConfiguration(kind: kind, host: host, port: port, credentials: credentials)
    }

    /// Splits `host:port`, `[v6]:port`, `host` or `[v6]`.
    private static func splitHostPort(
        _ authority: Substring,
        fail: (String) -> ProxyURLError
    ) throws(ProxyURLError) -> (host: String, port: Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("unclosed '[' in the host") }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw fail("unexpected text after ']'") }
            return (host, after.dropFirst())
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (String(parts[0]), nil)
        case 2: return (String(parts[0]), parts[1])
        default: throw fail("an IPv6 proxy address goes in brackets: [::1]:1080")
        }
    }

    /// RFC 3986 percent-decoding; nil for a malformed escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        let decoded = String(decoding: bytes, as: UTF8.self)
        return Array(decoded.utf8) == bytes ? decoded : nil
    }

    /// The user name as it goes back into a URL: `%`, `:`, `@` and `/` escaped.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if "%:@/".utf8.contains(byte) || byte < 0x21 || byte > 0x7E {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return result
    }

    /// `text` with the password (between the first `:` of the user info and its last `@`) replaced by `***`, so
    /// that an error message never shows it.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return text }
        let userInfo = authority[..<at]
        let user = userInfo.firstIndex(of: ":").map { userInfo[..<$0] } ?? userInfo
        return String(text[..<schemeEnd.upperBound]) + user + ":***" + rest[at...]
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
