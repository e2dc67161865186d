import AmapModel
import AmapSignatures
import Foundation
import NIOSSL

extension TLSDetails {
    /// The details of a completed handshake: the protocol version and the server certificate's names, alternative
    /// names, validity, SHA-256 fingerprint and key; `chainLength` when the caller saw the chain the server sent, and
    /// `cipher` when a `ServerHelloSniffer` read it (NIOSSL does not expose the negotiated suite).
    init(version: TLSVersion?, certificate: NIOSSLCertificate?, chainLength: Int? = nil, cipher: String? = nil) {
        let key = (try? certificate?.extractPublicKey().toSPKIBytes()).flatMap(PublicKeySummary.init(spki:))
        self.init(
            protocolVersion: version.map(Self.name(of:)),
            cipher: cipher,
            subject: certificate.map { Self.distinguishedName($0.subjectName) },
            issuer: certificate.map { Self.distinguishedName($0.issuerName) },
            notBefore: certificate.map { Self.iso8601($0.notValidBefore) },
            notAfter: certificate.map { Self.iso8601($0.notValidAfter) },
            subjectAlternativeNames: certificate.map(Self.alternativeNames(of:)),
            sha256Fingerprint: certificate.flatMap { try? SHA256.fingerprint($0.toDERBytes()) },
            keyType: key?.type,
            keyBits: key?.bits,
            chainLength: chainLength
        )
    }

    /// `TLSv1.2`-style names, as OpenSSL prints them.
    static func name(of version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }

    /// `CN=name,O=organisation`, in certificate order; attribute types NIOSSL cannot name are left out.
    static func distinguishedName(_ names: [SSLCertificateName]) -> String {
        names.compactMap { name in
            shortLabel(name.type).map { "\($0)=\(name.value)" }
        }.joined(separator: ",")
    }

    private static func shortLabel(_ type: SSLCertificateNameType) -> String? {
        let labels: [(SSLCertificateNameType, String)] = [
            (.commonName, "CN"), (.organization, "O"), (.organizationalUnit, "OU"), (.country, "C"),
            (.state, "ST"), (.city, "L"), (.emailAddress, "emailAddress"), (.userId, "UID"),
        ]
        return labels.first { $0.0 == type }?.1
    }

    /// Seconds since the epoch as `2026-01-31T12:00:00Z`.
    static func iso8601(_ seconds: time_t) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    /// The subject alternative names in certificate order: `DNS:`, `IP:`, `email:` and `URI:` entries.
    static func alternativeNames(of certificate: NIOSSLCertificate) -> [String] {
        certificate._subjectAlternativeNames().compactMap { name in
            let bytes = name.contents.withUnsafeBufferPointer { Array($0) }
            switch name.nameType {
            case .dnsName: return "DNS:" + String(decoding: bytes, as: UTF8.self)
            case .ipAddress: return "IP:" + AlternativeNameAddress.text(bytes)
            case .email: return "email:" + String(decoding: bytes, as: UTF8.self)
            case .uri: return "URI:" + String(decoding: bytes, as: UTF8.self)
            default: return nil
            }
        }
    }
}
