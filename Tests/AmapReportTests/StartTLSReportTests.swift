import AmapModel
import AmapTestSupport
import Foundation
import Testing

@testable import AmapReport

/// How `--starttls` results look in JSON Lines and amap's human lines.
@Suite struct StartTLSReportTests {
    static let fingerprint = (0..<32).map { String(format: "%02X", $0 * 7 % 256) }.joined(separator: ":")

    static let upgraded = PortResult(
        endpoint: Fixture.tcp(25), state: .open, identifications: [Fixture.identification("smtp")],
        tls: TLSDetails(
            protocolVersion: "TLSv1.3", subject: "CN=mail", issuer: "CN=CA", notBefore: "2026-01-01T00:00:00Z",
            notAfter: "2026-02-01T00:00:00Z", subjectAlternativeNames: ["DNS:mail", "IP:::1"],
            sha256Fingerprint: fingerprint, chainLength: 2, startTLS: true))

    static let refused = PortResult(
        endpoint: Fixture.tcp(21), state: .open, identifications: [Fixture.identification("ftp")],
        tls: TLSDetails(startTLS: true, startTLSError: "refused: AUTH TLS: 530 \u{1B}[2Jno"))

    private func parse(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func jsonCarriesEveryCertificateFactAndConformsToTheSchema() throws {
        let checker = try JSONSchemaChecker.load()
        let object = try parse(JSONLinesRecord.line(for: Self.upgraded))
        #expect(checker.problems(object).isEmpty, "\(checker.problems(object))")
        let tls = try #require(object["tls"] as? [String: Any])
        #expect(tls["starttls"] as? Bool == true)
        #expect(tls["sans"] as? [String] == ["DNS:mail", "IP:::1"])
        #expect(tls["sha256_fingerprint"] as? String == Self.fingerprint)
        #expect(tls["chain_length"] as? Int == 2)
        #expect(tls["starttls_error"] is NSNull)
        #expect(tls["subject"] as? String == "CN=mail")
    }

    @Test func jsonOfARefusedUpgradeSaysWhyAndConforms() throws {
        let checker = try JSONSchemaChecker.load()
        let object = try parse(JSONLinesRecord.line(for: Self.refused))
        #expect(checker.problems(object).isEmpty, "\(checker.problems(object))")
        let tls = try #require(object["tls"] as? [String: Any])
        #expect(tls["starttls"] as? Bool == true)
        #expect(tls["starttls_error"] as? String == "refused: AUTH TLS: 530 \u{1B}[2Jno")
        #expect(tls["subject"] is NSNull && tls["sans"] as? [String] == [])
    }

    @Test func wrappedTLSSaysStarttlsFalse() throws {
        let result = PortResult(endpoint: Fixture.tcp(443), state: .open, tls: TLSDetails(protocolVersion: "TLSv1.2"))
        let tls = try #require(try parse(JSONLinesRecord.line(for: result))["tls"] as? [String: Any])
        #expect(tls["starttls"] as? Bool == false)
    }

    @Test func humanOutputGivesOneLinePerPort() {
        var formatter = AmapHumanFormatter()
        let upgraded = formatter.format(.finished(Self.upgraded))
        #expect(upgraded == "STARTTLS on 127.0.0.1:25/tcp: TLSv1.3, subject CN=mail, issuer CN=CA, SAN DNS:mail,IP:::1, "
            + "valid 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z, SHA-256 \(Self.fingerprint), chain 2\n")
        let refused = formatter.format(.finished(Self.refused))
        #expect(refused.hasPrefix("STARTTLS on 127.0.0.1:21/tcp refused: AUTH TLS: 530 "))
        #expect(refused.filter { $0 == "\n" }.count == 1 && !refused.contains("\u{1B}"))
        // A port without an upgrade prints nothing at its end, as before.
        #expect(formatter.format(.finished(PortResult(endpoint: Fixture.tcp(22), state: .open))) == "")
    }
}
