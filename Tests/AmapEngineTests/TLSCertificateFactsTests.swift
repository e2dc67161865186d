import AmapModel
import AmapSignatures
import AmapTestSupport
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Testing
@testable import AmapEngine

/// The certificate facts of a TLS port (fingerprint, alternative names, key) checked against what the `openssl`
/// command says about the same certificate, and a refused handshake's note and status.
@Suite struct TLSCertificateFactsTests {
    private static let quick = ScanConfiguration(
        connectTimeoutMilliseconds: 500, connectAttempts: 1, responseTimeoutMilliseconds: 150,
        bannerWaitMilliseconds: 150, tlsHandshakeTimeoutMilliseconds: 2_000, reportAllMatches: false,
        udpRetransmits: 1, udpRetransmitIntervalMilliseconds: 100, timing: .fixed)

    private static let helloProbe = TestProbes.probe("Hello", "HELLO\r\n")

    /// Scans one TLS server and returns its result.
    private func scanTLS(_ configuration: TLSConfiguration) async throws -> PortResult {
        let serverContext = try NIOSSLContext(configuration: configuration)
        let server = try await LoopbackServers.tcp(group: MultiThreadedEventLoopGroup.singleton) { channel in
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: serverContext))
        }
        defer { server.close(promise: nil) }
        let engine = ScanEngine(
            configuration: Self.quick, planner: FixedPlanner(tcp: [TestProbes.null, Self.helloProbe]),
            matcher: try PatternMatcher([("^NEVER", "never")]))
        let endpoint = Endpoint(host: "127.0.0.1", port: LoopbackServers.port(of: server), transport: .tcp)
        var results: [PortResult] = []
        for await event in engine.scan([endpoint]) {
            if case .finished(let result) = event { results.append(result) }
        }
        return try #require(results.first)
    }

    @Test(arguments: [
        (["-newkey", "rsa:2048"], "rsa", 2048),
        (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"], "ec", 384),
    ])
    func certificateFactsMatchOpenSSL(keyOptions: [String], keyType: String, bits: Int) async throws {
        let files = try OpenSSLCertificate.make(
            keyOptions: keyOptions, subjectAlternativeNames: "DNS:amap.test,DNS:www.amap.test,IP:127.0.0.1")
        defer { files.remove() }
        let result = try await scanTLS(.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate.fromPEMFile(files.certificate)[0])],
            privateKey: .privateKey(try NIOSSLPrivateKey(file: files.key, format: .pem))))
        let tls = try #require(result.tls)
        #expect(tls.sha256Fingerprint == (try files.opensslFingerprint()))
        #expect(tls.subjectAlternativeNames == ["DNS:amap.test", "DNS:www.amap.test", "IP:127.0.0.1"])
        #expect(tls.keyType == keyType)
        #expect(tls.keyBits == bits)
        #expect(tls.chainLength == 1)
        #expect(result.status == .success)
    }

    @Test func theChainLengthCountsTheIntermediatesTheServerSent() async throws {
        let files = try OpenSSLCertificate.make(keyOptions: ["-newkey", "rsa:2048"], subjectAlternativeNames: nil)
        defer { files.remove() }
        let leaf = try files.signedLeaf()
        let result = try await scanTLS(.makeServerConfiguration(
            certificateChain: [
                .certificate(try NIOSSLCertificate.fromPEMFile(leaf.certificate)[0]),
                .certificate(try NIOSSLCertificate.fromPEMFile(files.certificate)[0]),
            ],
            privateKey: .privateKey(try NIOSSLPrivateKey(file: leaf.key, format: .pem))))
        let tls = try #require(result.tls)
        #expect(tls.chainLength == 2)
        #expect(tls.subject == "CN=amap-leaf" && tls.issuer == "CN=amap-facts", "\(tls)")
        #expect(tls.sha256Fingerprint == (try OpenSSLCertificate.fingerprint(of: leaf.certificate)))
    }

    @Test func refusedHandshakeNamesThePeersAlertInPlainWords() async throws {
        let files = try OpenSSLCertificate.make(keyOptions: ["-newkey", "rsa:2048"], subjectAlternativeNames: nil)
        defer { files.remove() }
        // TLS 1.2 with a required client certificate: amap has none, so the server ends the handshake with an
        // alert before it completes.
        var server = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate.fromPEMFile(files.certificate)[0])],
            privateKey: .privateKey(try NIOSSLPrivateKey(file: files.key, format: .pem)))
        server.maximumTLSVersion = .tlsv12
        server.certificateVerification = .noHostnameVerification
        let result = try await scanTLS(server)
        let note = try #require(result.note)
        #expect(note.hasPrefix("TLS handshake failed: the server sent alert handshake_failure (40)"), "\(note)")
        for dump in ["Error", "BoringSSL", ".build", ".cc:", "sslError"] {
            #expect(!note.contains(dump), "\(note)")
        }
        #expect(result.status == .protocolError)
        #expect(result.state == .open)
    }
}

/// A key and certificate made by the `openssl` command in a temporary directory.
struct OpenSSLCertificate {
    let directory: URL
    var key: String { directory.appendingPathComponent("key.pem").path }
    var certificate: String { directory.appendingPathComponent("cert.pem").path }

    static func make(keyOptions: [String], subjectAlternativeNames: String?) throws -> OpenSSLCertificate {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("amap-tls-facts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files = OpenSSLCertificate(directory: directory)
        var arguments = ["req", "-x509"] + keyOptions + [
            "-nodes", "-keyout", files.key, "-out", files.certificate, "-days", "2", "-subj", "/CN=amap-facts",
        ]
        if let names = subjectAlternativeNames { arguments += ["-addext", "subjectAltName=\(names)"] }
        _ = try run(arguments)
        return files
    }

    /// A leaf key and certificate (`CN=amap-leaf`) signed by this certificate, in the same folder.
    func signedLeaf() throws -> (key: String, certificate: String) {
        let key = directory.appendingPathComponent("leaf-key.pem").path
        let request = directory.appendingPathComponent("leaf.csr").path
        let leaf = directory.appendingPathComponent("leaf.pem").path
        _ = try Self.run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                          "-out", request, "-subj", "/CN=amap-leaf"])
        _ = try Self.run(["x509", "-req", "-in", request, "-CA", certificate, "-CAkey", self.key, "-CAcreateserial",
                          "-out", leaf, "-days", "2"])
        return (key, leaf)
    }

    /// `openssl x509 -fingerprint -sha256` as it prints it (`AB:CD:…`).
    func opensslFingerprint() throws -> String {
        try Self.fingerprint(of: certificate)
    }

    /// `openssl x509 -fingerprint -sha256` of the certificate in `path`, as it prints it (`AB:CD:…`).
    static func fingerprint(of path: String) throws -> String {
        let output = try run(["x509", "-in", path, "-noout", "-fingerprint", "-sha256"])
        let value = try #require(output.split(separator: "=").last)
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestCertificate.Failure(
                description: "openssl \(arguments[0]) exited with \(process.terminationStatus)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}
