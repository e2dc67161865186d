/// One payload `amap learn` sends to a silent port, with a name for the report.
public struct LearningInput: Sendable, Hashable {
    /// A short name (`http-get`, `random-17`).
    public var name: String
    /// The bytes sent; empty means "send nothing, wait for a banner".
    public var payload: [UInt8]

    /// Creates an input.
    public init(name: String, payload: [UInt8]) {
        self.name = name
        self.payload = payload
    }
}

/// The inputs `amap learn` tries, structured first, then random.
public enum LearningInputs {
    /// Common protocol openers, tried in this order before any random input: the things a line-, HTTP-, JSON-,
    /// TLS- or length-prefixed binary server is most likely to answer. Every payload is written here from the
    /// protocols' public descriptions (HTTP/1.0 in RFC 1945, TLS records in RFC 8446 §5.1, RESP in Redis's protocol
    /// page, JSON-RPC 2.0).
    public static let structured: [LearningInput] = [
        LearningInput(name: "banner-wait", payload: []),
        LearningInput(name: "crlf", payload: bytes("\r\n")),
        LearningInput(name: "lf-lf", payload: bytes("\n\n")),
        LearningInput(name: "http-get", payload: bytes("GET / HTTP/1.0\r\n\r\n")),
        LearningInput(name: "help", payload: bytes("HELP\r\n")),
        LearningInput(name: "help-lower", payload: bytes("help\r\n")),
        LearningInput(name: "question", payload: bytes("?\r\n")),
        LearningInput(name: "version", payload: bytes("VERSION\r\n")),
        LearningInput(name: "status", payload: bytes("STATUS\r\n")),
        LearningInput(name: "info", payload: bytes("INFO\r\n")),
        LearningInput(name: "stats", payload: bytes("stats\r\n")),
        LearningInput(name: "json-empty", payload: bytes("{}\n")),
        LearningInput(name: "json-rpc", payload: bytes("{\"jsonrpc\":\"2.0\",\"method\":\"version\",\"id\":1}\n")),
        LearningInput(name: "resp-ping", payload: bytes("*1\r\n$4\r\nPING\r\n")),
        LearningInput(name: "tls-hello", payload: tlsClientHello),
        LearningInput(name: "nul-8", payload: [UInt8](repeating: 0, count: 8)),
        LearningInput(name: "length-zero", payload: [0, 0, 0, 0]),
        LearningInput(name: "length-one", payload: [0, 0, 0, 1, 0]),
        LearningInput(name: "quit", payload: bytes("QUIT\r\n")),
    ]

    /// The kinds of random payload, as in amapcrap's `-m 0ab`.
    public enum RandomKind: Character, Sendable, CaseIterable {
        /// NUL bytes.
        case nul = "0"
        /// Lowercase letters and spaces ending in CRLF.
        case ascii = "a"
        /// Random bytes.
        case binary = "b"
    }

    /// `count` seeded random inputs of `lengths` bytes, drawn from `kinds` (each kind equally likely).
    public static func random(
        count: Int,
        seed: UInt64,
        lengths: ClosedRange<Int>,
        kinds: [RandomKind] = RandomKind.allCases
    ) -> [LearningInput] {
        guard !kinds.isEmpty, count > 0 else { return [] }
        var generator = LearningRandom(seed: seed)
        return (1...count).map { index in
            let length = Int.random(in: lengths, using: &generator)
            let kind = kinds[Int.random(in: 0..<kinds.count, using: &generator)]
            var payload: [UInt8]
            switch kind {
            case .nul:
                payload = [UInt8](repeating: 0, count: length)
            case .ascii:
                let alphabet = Array("abcdefghijklmnopqrstuvwxyz ".utf8)
                payload = (0..<max(0, length - 2)).map { _ in alphabet.randomElement(using: &generator) ?? 0x20 }
                payload += [0x0D, 0x0A]
            case .binary:
                payload = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            return LearningInput(name: "random-\(index)", payload: payload)
        }
    }

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A minimal TLS 1.2 ClientHello record: handshake record (RFC 8446 §5.1, legacy version 0x0301), client version
    /// 0x0303, a fixed 32-byte random, no session id, four common cipher suites, null compression, no extensions.
    public static let tlsClientHello: [UInt8] = {
        let suites: [UInt8] = [0xC0, 0x2F, 0xC0, 0x2B, 0x00, 0x9C, 0x00, 0x2F]
        var body: [UInt8] = [0x03, 0x03]
        body += (0..<32).map { UInt8($0) }
        body += [0x00]
        body += [UInt8(suites.count >> 8), UInt8(suites.count & 0xFF)] + suites
        body += [0x01, 0x00]
        let handshake: [UInt8] = [0x01, 0x00, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        return [0x16, 0x03, 0x01, UInt8(handshake.count >> 8), UInt8(handshake.count & 0xFF)] + handshake
    }()
}
