import AmapSignatures
import Testing

/// Every hard line of the built-in database against every answer of every other service in the vectors, whatever
/// probe drew it (the engine also matches lines across probes): no line may name a service that did not send the
/// answer.
@Suite struct BuiltinCrossHitTests {
    /// Services whose answers are HTTP responses: the generic `http` lines (and the HTTP server products' lines)
    /// rightly name them `http`, which is what they speak. Tor's control and SOCKS ports answer an HTTP request with
    /// an HTTP 501 page of their own; the Node.js inspector answers a plain HTTP request with a 400, and MongoDB with a
    /// page saying it is not HTTP.
    /// A WebSocket server's 101 handshake is an HTTP response too, and so are the HTTP APIs of
    /// 32-http-apis-part2.probes.
    static let overHTTP: Set<String> = [
        "clickhouse", "couchdb", "docker", "elasticsearch", "etcd", "influxdb", "ipp", "kubernetes", "prometheus",
        "http-proxy", "rtsp", "sip", "ollama", "shoutcast", "hadoop-ipc", "daap", "tor-control", "socks5",
        "node-inspector", "mongodb", "websocket", "transmission-rpc", "minio", "amt-soap-http", "plex", "netdata",
        "snapcast",
    ]

    /// Whether a line naming `other` may match an answer of `service`.
    static func allowed(_ other: String, on service: String) -> Bool {
        other == service || (other == "http" && overHTTP.contains(service))
            || (service == "http" && other == "http-proxy") || (service == "http-proxy" && other == "http")
    }

    @Test func noLineNamesAnotherServicesAnswer() throws {
        let database = try BuiltinDatabase.load().database
        let vectors = try VectorCorpus.load().filter { $0.expectedService != nil && !$0.expectSoft }
        var hits: [String] = []
        var checked = 0
        for vector in vectors {
            guard let service = vector.expectedService else { continue }
            for probe in database.probes where probe.transport == vector.transport {
                for signature in probe.signatures where signature.strength == .hard {
                    guard !Self.allowed(signature.service, on: service) else { continue }
                    checked += 1
                    if signature.pattern.matches(vector.response) {
                        hits.append("\(vector) [\(vector.source.prefix(40))] matched by \(signature.location) "
                                    + "(\(signature.service))")
                    }
                }
            }
        }
        #expect(checked > 10_000, "checked \(checked) line/answer pairs")
        #expect(hits.isEmpty, "cross-hits:\n\(hits.joined(separator: "\n"))")
    }
}
