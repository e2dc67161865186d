import AmapTestSupport
import Foundation
import Testing

/// The certificate of the daemon suite's Dovecot IMAPS port as amap reports it, checked against what `openssl s_client`
/// reads from the same port, through the programs users read the reports with: python3-nmap and python3-libnmap for
/// `-oX` (nmap's `ssl-cert` script result), a draft 2020-12 validator for `-oJ`.
@Suite("TLS certificate facts in -oX and -oJ", .timeLimit(.minutes(2)))
struct TLSCertificateOutputTests {
    static let rowNames = ["dovecot-imaps"]
    static var rows: [DaemonRow] { DaemonAvailability.rows(rowNames) }

    /// The certificate the port serves as `openssl s_client` reads it (`openssl x509` of its leaf: fingerprint as
    /// `AB:CD:…`, alternative names, key type and bits as `openssl x509 -text` names them), and how many certificates
    /// it sent.
    private static func servedCertificate(port: Int, scratch: Scratch) async throws
        -> (certificate: StartTLSDaemonTests.Certificate, chainLength: Int, key: (type: String, bits: String)) {
        let chain = scratch.file("served.pem").path
        let leaf = scratch.file("leaf.pem").path
        let shell = "openssl s_client -showcerts -connect 127.0.0.1:\(port) </dev/null 2>/dev/null >\(chain)"
            + " && openssl x509 -in \(chain) -out \(leaf)"
        let run = try await Subprocess.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", shell])
        try #require(run.status == 0, "\(run)")
        let sent = try String(contentsOfFile: chain, encoding: .utf8).components(separatedBy: "-----BEGIN CERTIFICATE")
        return (try await StartTLSDaemonTests.Certificate.load(leaf), sent.count - 1, try await key(of: leaf))
    }

    /// `Public Key Algorithm: id-ecPublicKey` and `Public-Key: (256 bit)` as amap's words: `ec` and `256`.
    private static func key(of path: String) async throws -> (type: String, bits: String) {
        let run = try await Subprocess.run(
            URL(fileURLWithPath: "/usr/bin/openssl"), arguments: ["x509", "-in", path, "-noout", "-text"])
        let names = ["rsaEncryption": "rsa", "id-ecPublicKey": "ec", "ED25519": "ed25519", "ED448": "ed448",
                     "dsaEncryption": "dsa"]
        let lines = run.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let algorithm = try #require(lines.first { $0.hasPrefix("Public Key Algorithm: ") }, "\(run)")
        let size = try #require(lines.first { $0.hasPrefix("Public-Key: (") }, "\(run)")
        let type = try #require(names[String(algorithm.dropFirst("Public Key Algorithm: ".count))], "\(algorithm)")
        return (type, String(size.dropFirst("Public-Key: (".count).prefix { $0.isNumber }))
    }

    @Test("the fingerprint, names and key reach python3-nmap, python3-libnmap and the JSON schema",
          DaemonAvailability.needs(rows), ExternalTool.needs(.pythonNmap, .pythonLibnmap, .pythonJSONSchema))
    func certificateFactsReachTheConsumers() async throws {
        try DaemonAvailability.require(Self.rows)
        try ExternalTool.require(.pythonNmap, .pythonLibnmap, .pythonJSONSchema)
        let row = try #require(Self.rows.first)
        let scratch = try Scratch("tls-facts")
        defer { scratch.remove() }
        let (served, chainLength, key) = try await Self.servedCertificate(port: row.port, scratch: scratch)
        let expected = served.fingerprint
        #expect(expected.count == 95 && !served.alternativeNames.isEmpty, "\(served)")
        let xml = scratch.file("scan.xml").path
        let json = scratch.file("scan.jsonl").path
        let run = try await AmapExecutable.run(["-oX", xml, "-oJ", json, "127.0.0.1", String(row.port)])
        #expect(run.status == 0, "\(run)")

        let nmapScript = """
            import sys, nmap
            result = nmap.PortScanner().analyse_nmap_xml_scan(open(sys.argv[1]).read())
            print(result["scan"]["127.0.0.1"]["tcp"][int(sys.argv[2])]["script"]["ssl-cert"])
            """
        let nmap = try await ExternalTool.pythonNmap.python(nmapScript, [xml, String(row.port)])
        #expect(nmap.status == 0, "\(nmap)")
        #expect(nmap.stdout.contains("SHA-256: \(expected)"), "\(nmap)")
        #expect(nmap.stdout.contains(
            "Subject Alternative Name: " + served.alternativeNames.joined(separator: ", ")), "\(nmap)")
        #expect(nmap.stdout.contains("Public Key type: \(key.type)\nPublic Key bits: \(key.bits)"), "\(nmap)")

        let libnmapScript = """
            import sys, json
            from libnmap.parser import NmapParser
            report = NmapParser.parse_fromfile(sys.argv[1])
            service = report.hosts[0].get_service(int(sys.argv[2]), "tcp")
            script = [s for s in service.scripts_results if s["id"] == "ssl-cert"][0]
            print(json.dumps(script["elements"]))
            """
        let libnmap = try await ExternalTool.pythonLibnmap.python(libnmapScript, [xml, String(row.port)])
        #expect(libnmap.status == 0, "\(libnmap)")
        let elements = try #require(
            try JSONSerialization.jsonObject(with: Data(libnmap.stdout.utf8)) as? [String: Any], "\(libnmap)")
        #expect(elements["sha256"] as? String == expected, "\(libnmap)")
        #expect((elements["pubkey"] as? [String: Any])?["bits"] as? String == key.bits, "\(libnmap)")

        let lines = try String(contentsOfFile: json, encoding: .utf8).split(separator: "\n")
        let first = try #require(lines.first)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let tls = try #require(record["tls"] as? [String: Any], "\(record)")
        #expect(tls["sha256_fingerprint"] as? String == expected)
        #expect(tls["sans"] as? [String] == served.alternativeNames)
        #expect(tls["chain_length"] as? Int == chainLength)
        #expect(tls["key_type"] as? String == key.type && tls["key_bits"] as? Int == Int(key.bits), "\(tls)")
        #expect(record["status"] as? String == "success")
        let schema = PackageRoot.url.appendingPathComponent("docs/json-lines.schema.json").path
        let validator = """
            import json, sys
            from jsonschema import Draft202012Validator
            validator = Draft202012Validator(json.load(open(sys.argv[1])))
            bad = [e.message for line in open(sys.argv[2]) for e in validator.iter_errors(json.loads(line))]
            print(bad)
            sys.exit(1 if bad else 0)
            """
        let valid = try await ExternalTool.pythonJSONSchema.python(validator, [schema, json])
        #expect(valid.status == 0, "\(valid)")
    }

    /// nginx's HTTPS port answers plain HTTP with its "plain HTTP request was sent to HTTPS port" page, which names
    /// it `ssl/http` before any TLS is spoken: the TLS pass still runs, so the certificate is read and the service
    /// inside is identified over TLS.
    @Test("a port named ssl/http from a plaintext answer still gets its certificate read",
          DaemonAvailability.needs("nginx-https"))
    func tunnelNamedFromPlaintextStillReadsTheCertificate() async throws {
        try DaemonAvailability.require("nginx-https")
        let row = try #require(DaemonAvailability.rows(["nginx-https"]).first)
        let scratch = try Scratch("tls-plaintext-named")
        defer { scratch.remove() }
        let (served, _, _) = try await Self.servedCertificate(port: row.port, scratch: scratch)
        let run = try await AmapExecutable.run(["-oJ", "-", "127.0.0.1", String(row.port)])
        #expect(run.status == 0, "\(run)")
        let line = try #require(run.stdoutLines.first { $0.hasPrefix("{") }, "\(run)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(record["service"] as? String == "http" && record["tunnel"] as? String == "ssl", "\(record)")
        #expect(record["product"] as? String == "nginx", "\(record)")
        let tls = try #require(record["tls"] as? [String: Any], "\(record)")
        #expect(tls["sha256_fingerprint"] as? String == served.fingerprint, "\(tls)")
        #expect(tls["version"] is String && tls["starttls"] as? Bool == false, "\(tls)")
    }
}
