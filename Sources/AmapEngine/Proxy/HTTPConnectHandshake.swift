import AmapModel

/// The client side of an HTTP CONNECT tunnel (RFC 9110 §9.3.6) with optional Basic authentication (RFC 7617), as a
/// state machine: `opening()` is the request, `receive` takes the proxy's answer in any split until the end of its
/// header block.
struct HTTPConnectHandshake: ProxyHandshake {
    /// The longest header block read from a proxy before it is called broken (a proxy's answer to CONNECT is a
    /// status line and a few headers; squid's error answers measured here have about 400 bytes of headers).
    static let maximumHeaderBytes = 16 * 1_024

    /// The target as CONNECT names it.
    let destination: ProxyDestination
    /// The target port.
    let port: UInt16
    /// The Basic credentials, if any.
    let credentials: ProxyCredentials?
    private var buffer: [UInt8] = []
    private var finished = false

    /// A handshake asking for a tunnel to `destination`:`port`.
    init(destination: ProxyDestination, port: UInt16, credentials: ProxyCredentials?) {
        self.destination = destination
        self.port = port
        self.credentials = credentials
    }

    /// `CONNECT host:port HTTP/1.1`, `Host`, and `Proxy-Authorization: Basic …` with credentials.
    func opening() -> [UInt8] {
        let authority = "\(destination.authorityHost):\(port)"
        var request = "CONNECT \(authority) HTTP/1.1\r\nHost: \(authority)\r\n"
        if let credentials {
            let token = Base64.encode(Array("\(credentials.username):\(credentials.password)".utf8))
            request += "Proxy-Authorization: Basic \(token)\r\n"
        }
        return Array((request + "\r\n").utf8)
    }

    var isAwaitingTarget: Bool { true }

    var stepName: String { "after the CONNECT request" }

    mutating func receive(_ bytes: [UInt8]) -> ProxyHandshakeStep {
        guard !finished else { return .needMore }
        buffer += bytes
        guard let end = Self.headerEnd(in: buffer) else {
            if buffer.count > Self.maximumHeaderBytes {
                return finish(.failed(.protocolViolation(
                    "its answer to CONNECT has no end of headers within \(Self.maximumHeaderBytes) bytes")))
            }
            // Fail early on an answer that is not HTTP at all (a SOCKS server, an SSH banner).
            if buffer.count >= 5, !buffer.starts(with: Array("HTTP/".utf8)) {
                return finish(.failed(.protocolViolation("its answer to CONNECT is not HTTP")))
            }
            return .needMore
        }
        let head = String(decoding: buffer[..<end.headerEnd], as: UTF8.self)
        let leftover = Array(buffer[end.bodyStart...])
        buffer = []
        guard let status = Self.statusCode(head) else {
            return finish(.failed(.protocolViolation("its answer to CONNECT has no HTTP status line")))
        }
        if (200...299).contains(status) { return finish(.tunnel(leftover: leftover)) }
        return finish(Self.verdict(status: status, head: head, hadCredentials: credentials != nil))
    }

    private mutating func finish(_ step: ProxyHandshakeStep) -> ProxyHandshakeStep {
        finished = true
        return step
    }

    /// Where the header block ends (CRLF CRLF, or a bare LF LF from a sloppy proxy) and the tunnel's bytes begin.
    static func headerEnd(in bytes: [UInt8]) -> (headerEnd: Int, bodyStart: Int)? {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var index = 0
        while index < bytes.count {
            if bytes[index] == lf {
                if index + 1 < bytes.count, bytes[index + 1] == lf { return (index, index + 2) }
                if index + 2 < bytes.count, bytes[index + 1] == cr, bytes[index + 2] == lf { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }

    /// The status line ("\r\n" is one Character, a newline, so CRLF and bare LF both end it).
    private static func firstLine(_ head: String) -> Substring? {
        head.split(maxSplits: 1, whereSeparator: \.isNewline).first
    }

    /// The status code of `HTTP/1.x NNN reason`.
    static func statusCode(_ head: String) -> Int? {
        guard let line = firstLine(head) else { return nil }
        let fields = line.split(separator: " ", maxSplits: 2)
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), fields[1].count == 3, let code = Int(fields[1])
        else { return nil }
        return code
    }

    /// The port state (or the proxy failure) a non-2xx answer to CONNECT means.
    ///
    /// - 407: the proxy wants (other) credentials: the proxy fails, not the port.
    /// - 405, 501: the proxy does not do CONNECT at all.
    /// - 502 Bad Gateway: the proxy tried the target and failed: `filtered`, unless it says the target refused.
    /// - 503 Service Unavailable: nothing serves there: `closed` (squid answers a refused CONNECT with 503,
    ///   `X-Squid-Error: ERR_CONNECT_FAIL 111`), unless it says the target was unreachable or timed out.
    /// - 504 Gateway Timeout: no answer from the target in time: `filtered`.
    /// - 403 and other codes: the proxy would not or could not try: `filtered`, with the code in the note.
    ///
    /// A squid `X-Squid-Error: ERR_… errno` header refines 502/503 by the errno of its own connect.
    static func verdict(status: Int, head: String, hadCredentials: Bool) -> ProxyHandshakeStep {
        let reason = reasonPhrase(head).map { " \($0)" } ?? ""
        let code = "HTTP \(status)\(reason)"
        switch status {
        case 407:
            return .failed(hadCredentials ? .authenticationFailed : .authenticationRequired)
        case 405, 501:
            return .failed(.unsupported("it answered CONNECT with \(code)"))
        case 502, 503:
            let refusedHere = connectErrno(head).map(Self.isRefusal) ?? (status == 503)
            if refusedHere {
                return .refused(ProxyRefusal(state: .closed, note: "proxy: connection refused (\(code))"))
            }
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: could not connect (\(code))"))
        case 504:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: no answer from the target in time (\(code))"))
        case 403:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: CONNECT not allowed there (\(code))"))
        default:
            return .refused(ProxyRefusal(state: .filtered, note: "proxy: CONNECT failed (\(code))"))
        }
    }

    /// The errno in squid's `X-Squid-Error: ERR_CONNECT_FAIL 111` header, if present.
    static func connectErrno(_ head: String) -> Int32? {
        // Split on Characters that are newlines: "\r\n" is one Character in Swift, never equal to "\n".
        for trimmed in head.split(whereSeparator: \.isNewline) {
            guard let colon = trimmed.firstIndex(of: ":"),
                trimmed[..<colon].lowercased() == "x-squid-error"
            else { continue }
            let value = trimmed[trimmed.index(after: colon)...].split(separator: " ")
            if value.count >= 2, let number = Int32(value[1]) { return number }
        }
        return nil
    }

    /// True when `errno` (Linux numbering, squid's own connect) is ECONNREFUSED.
    static func isRefusal(_ errno: Int32) -> Bool {
        errno == linuxConnectionRefused
    }

    /// ECONNREFUSED on Linux (asm-generic/errno.h), the number squid reports in X-Squid-Error.
    static let linuxConnectionRefused: Int32 = 111

    private static func reasonPhrase(_ head: String) -> String? {
        guard let line = firstLine(head) else { return nil }
        let fields = line.split(separator: " ", maxSplits: 2)
        guard fields.count == 3 else { return nil }
        let phrase = fields[2].filter { $0.isASCII && !$0.isNewline }
        return phrase.isEmpty ? nil : String(phrase.prefix(60))
    }
}
