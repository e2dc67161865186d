import AmapModel
import AmapSignatures
import Foundation
import NIOSSL

extension TLSDetails {
    /// The details of a completed handshake: the protocol version and the server certificate's names, validity,
    /// SHA-256 fingerprint, alternative names and key.
    ///
    /// NIOSSL does not expose the negotiated cipher suite, so `cipher` stays nil.
    init(version: TLSVersion?, certificate: NIOSSLCertificate?) {
        let key = (try? certificate?.extractPublicKey().toSPKIBytes()).flatMap(PublicKeySummary.init(spki:))
        self.init(
            protocolVersion: version.map(Self.name(of:)),
            cipher: nil,
            subject: certificate.map { Self.distinguishedName($0.subjectName) },
            issuer: certificate.map { Self.distinguishedName($0.issuerName) },
            notBefore: certificate.map { Self.iso8601($0.notValidBefore) },
            notAfter: certificate.map { Self.iso8601($0.notValidAfter) },
            sha256Fingerprint: (try? certificate?.toDERBytes()).map { SHA256.hex($0) },
            subjectAlternativeNames: certificate.map(Self.alternativeNames) ?? [],
            keyType: key?.type,
            keyBits: key?.bits
        )
    }

    /// `DNS:name`, `IP:address`, `email:…`, `URI:…`, as OpenSSL prints them.
    static func alternativeNames(_ certificate: NIOSSLCertificate) -> [String] {
        certificate._subjectAlternativeNames().compactMap { name in
            let bytes = Array(name.contents)
            switch name.nameType {
            case .dnsName: return "DNS:" + String(decoding: bytes, as: UTF8.self)
            case .email: return "email:" + String(decoding: bytes, as: UTF8.self)
            case .uri: return "URI:" + String(decoding: bytes, as: UTF8.self)
            case .ipAddress: return ipText(bytes).map { "IP:" + $0 }
            default: return nil
            }
        }
    }

    /// Dotted IPv4 or full-form IPv6 (`2001:db8:0:0:0:0:0:1`), the way OpenSSL prints a SAN address.
    static func ipText(_ bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            return stride(from: 0, to: 16, by: 2).map {
                String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16, uppercase: true)
            }.joined(separator: ":")
        default:
            return nil
        }
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
}
