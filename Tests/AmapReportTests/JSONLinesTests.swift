import AmapModel
import AmapTestSupport
import Foundation
import Testing

@testable import AmapReport

@Suite struct JSONLinesTests {
    private var fullResult: PortResult {
        let version = VersionInfo(
            product: "OpenSSH", version: "9.2p1 Debian 2", info: "protocol 2.0", hostname: "box",
            operatingSystem: "Linux", deviceType: "general purpose",
            cpes: ["cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel"])
        return PortResult(
            endpoint: Endpoint(host: "localhost", address: "::1", port: 2222, transport: .tcp),
            state: .open,
            identifications: [
                Fixture.identification("ssl", soft: true, probe: "SSLSessionReq", line: 40),
                Fixture.identification("ssh", version: version, tunnelled: true, probe: "GenericLines", line: 77,
                                       via: "NULL"),
            ],
            banner: Fixture.bytes("SSH-2.0-OpenSSH_9.2p1\r\n"),
            bannerProbe: "NULL",
            tls: TLSDetails(protocolVersion: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", subject: "CN=box",
                            issuer: "CN=box", notBefore: "2026-01-01T00:00:00Z", notAfter: nil,
                            subjectAlternativeNames: ["DNS:box", "IP:::1"],
                            sha256Fingerprint: Array(repeating: "0F", count: 32).joined(separator: ":"),
                            keyType: "ec", keyBits: 256)
        )
    }

    private var emptyResult: PortResult {
        PortResult(endpoint: Fixture.udp(161), state: .openFiltered, note: "no answer")
    }

    private var hostileResult: PortResult {
        let evil = "x\u{1B}]0;pwned\u{07}\u{00}\"\\\u{9B}\u{202E}"
        return PortResult(
            endpoint: Fixture.tcp(80),
            state: .open,
            identifications: [Fixture.identification("http", version: VersionInfo(product: evil, cpes: [evil]))],
            banner: [0x48, 0x1B, 0x5B, 0x32, 0x4A, 0x00, 0xFF, 0xC3, 0x28, 0x0A],
            tls: TLSDetails(subject: evil)
        )
    }

    private func parse(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func everyRecordConformsToTheDocumentedSchema() throws {
        let checker = try JSONSchemaChecker.load()
        for result in [fullResult, emptyResult, hostileResult] {
            let problems = checker.problems(try parse(JSONLinesRecord.line(for: result)))
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    /// python3-jsonschema (Debian 12: 4.10), a real draft 2020-12 validator, run over JSON Lines on stdin: prints one
    /// line per problem and exits 1 when there is any.
    static let validatorScript = """
        import json, sys
        from jsonschema import Draft202012Validator
        schema = json.load(open(sys.argv[1]))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        problems = [f"line {n}: {e.json_path}: {e.message}" for n, line in enumerate(sys.stdin, 1)
                    for e in validator.iter_errors(json.loads(line))]
        print("\\n".join(problems))
        sys.exit(1 if problems else 0)
        """
    @Test(ExternalTool.needs(.pythonJSONSchema))
    func aRealValidatorAcceptsEveryRecordAndRejectsAWrongOne() async throws {
        try ExternalTool.require(.pythonJSONSchema)
        let schema = PackageRoot.url.appendingPathComponent("docs/json-lines.schema.json").path
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let utf8 = PortResult(endpoint: Fixture.tcp(80), state: .open, banner: Array("Server: Café\r\n".utf8))
        let lines = [fullResult, emptyResult, hostileResult, utf8].map {
            JSONLinesRecord.line(for: $0, timestamp: Fixture.start)
        } + [JSONLinesRecord.line(for: emptyResult)]
        let good = try await Subprocess.run(python, arguments: ["-c", Self.validatorScript, schema],
                                            input: Data(lines.joined().utf8))
        #expect(good.status == 0, "\(good)")
        var wrong = try parse(JSONLinesRecord.line(for: fullResult, timestamp: Fixture.start))
        wrong["schema_version"] = 1
        wrong["timestamp"] = "2026-11-26 13:55:49"
        let bad = try await Subprocess.run(python, arguments: ["-c", Self.validatorScript, schema],
                                           input: try JSONSerialization.data(withJSONObject: wrong) + Data("\n".utf8))
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stdout.contains("$.schema_version") && bad.stdout.contains("$.timestamp"), "\(bad)")
    }

    @Test func theCheckerRejectsWrongShapes() throws {
        let checker = try JSONSchemaChecker.load()
        var object = try parse(JSONLinesRecord.line(for: fullResult))
        object["port"] = "2222"
        object["soft"] = 1
        object.removeValue(forKey: "tls")
        object["extra"] = true
        let problems = checker.problems(object)
        #expect(problems.contains { $0.contains("$.port") })
        #expect(problems.contains { $0.contains("$.soft") })
        #expect(problems.contains { $0.contains("missing required tls") })
        #expect(problems.contains { $0.contains("unexpected key extra") })
    }

    @Test func keysComeInTheDocumentedOrder() throws {
        let checker = try JSONSchemaChecker.load()
        let documented = try #require(checker.root["required"] as? [String])
        guard case .object(let members) = JSONLinesRecord.object(for: fullResult) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0) == documented)
    }

    @Test func fieldsCarryTheLeadingHardIdentification() throws {
        let object = try parse(JSONLinesRecord.line(for: fullResult))
        #expect(object["host"] as? String == "localhost")
        #expect(object["address"] as? String == "::1")
        #expect(object["port"] as? Int == 2222)
        #expect(object["proto"] as? String == "tcp")
        #expect(object["service"] as? String == "ssh")
        #expect(object["tunnel"] as? String == "ssl")
        #expect(object["version"] as? String == "9.2p1 Debian 2")
        #expect(object["cpe"] as? [String] == ["cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel"])
        // Escaped once: a JSON parser gives back the banner's CR LF, not a backslash and an r.
        #expect(object["banner"] as? String == "SSH-2.0-OpenSSH_9.2p1\r\n")
        #expect(JSONLinesRecord.line(for: fullResult).contains("\"banner\":\"SSH-2.0-OpenSSH_9.2p1\\r\\n\""))
        #expect(object["banner_hex"] as? String == "5353482d322e302d4f70656e5353485f392e3270310d0a")
        let evidence = try #require(object["evidence"] as? [String: Any])
        #expect(evidence["probe"] as? String == "GenericLines")
        #expect(evidence["signature_line"] as? Int == 77)
        #expect(evidence["via_probe"] as? String == "NULL")
        let tls = try #require(object["tls"] as? [String: Any])
        #expect(tls["version"] as? String == "TLSv1.3")
        #expect(tls["not_after"] is NSNull)
        let all = try #require(object["identifications"] as? [[String: Any]])
        #expect(all.map { $0["service"] as? String } == ["ssl", "ssh"])
        #expect(all.first?["tunnel"] is NSNull)
    }

    @Test func emptyResultHasNullsAndEmptyLists() throws {
        let line = JSONLinesRecord.line(for: emptyResult)
        #expect(line == "{\"schema_version\":2,\"host\":\"127.0.0.1\",\"address\":\"127.0.0.1\",\"port\":161,"
            + "\"proto\":\"udp\",\"state\":\"open|filtered\",\"service\":null,\"tunnel\":null,\"product\":null,"
            + "\"version\":null,\"info\":null,\"hostname\":null,\"os\":null,\"device\":null,\"cpe\":[],\"tls\":null,"
            + "\"banner\":null,\"banner_hex\":null,\"banner_probe\":null,\"evidence\":null,\"soft\":false,"
            + "\"identifications\":[],\"note\":\"no answer\",\"timestamp\":null,\"status\":\"io-timeout\"}\n")
    }

    @Test func hostileStringsAreEscapedAndTheLineStaysOneLineOfValidText() throws {
        let line = JSONLinesRecord.line(for: hostileResult)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(!line.unicodeScalars.contains { UnsafeScalars.mustEscape($0) && $0 != "\n" })
        #expect(line.contains("\"product\":\"x\\u001b]0;pwned\\u0007\\u0000\\\"\\\\\\u009b\\u202e\""))
        let object = try parse(line)
        // Not valid UTF-8, so the banner is read byte for byte (ISO-8859-1); its controls are JSON escapes in the
        // line (checked above: no raw control), and banner_hex is exact.
        #expect(object["banner"] as? String == "H\u{1B}[2J\u{00}\u{FF}\u{C3}(\n")
        #expect(object["banner_hex"] as? String == "481b5b324a00ffc3280a")
        // Text fields round-trip exactly through a JSON parser.
        #expect(object["product"] as? String == "x\u{1B}]0;pwned\u{07}\u{00}\"\\\u{9B}\u{202E}")
    }

    @Test func formatterWritesOnlyOnFinished() {
        var formatter = JSONLinesFormatter(now: { Fixture.start })
        #expect(formatter.header(startedAt: Fixture.start) == "")
        #expect(formatter.format(.banner(Fixture.tcp(1), [0x41])) == "")
        #expect(formatter.format(.warning(nil, ScanWarning(.proxyFailed, "x"))) == "")
        let line = formatter.format(.finished(emptyResult))
        #expect(line == JSONLinesRecord.line(for: emptyResult, timestamp: Fixture.start))
        #expect(line.hasSuffix(",\"timestamp\":\"2026-11-26T13:55:49.000Z\",\"status\":\"io-timeout\"}\n"))
        #expect(formatter.footer(finishedAt: Fixture.finish) == "")
    }

    @Test func aUTF8BannerIsTextAndTimestampsAreRFC3339InUTC() throws {
        let cafe = PortResult(
            endpoint: Fixture.tcp(80), state: .open, banner: Array("Server: Café-Server/1.0\r\n".utf8))
        let object = try parse(JSONLinesRecord.line(for: cafe))
        #expect(object["banner"] as? String == "Server: Café-Server/1.0\r\n")
        #expect(ReportTimestamp.rfc3339(Date(timeIntervalSince1970: 1_796_306_664.25)) == "2026-12-03T14:04:24.250Z")
        #expect(ReportTimestamp.rfc3339(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }
}
