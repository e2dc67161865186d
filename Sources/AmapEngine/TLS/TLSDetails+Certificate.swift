import AmapModel
import AmapSignatures
import Foundation
import NIOSSL

extension TLSDetails {
    /// The details of a completed handshake: the protocol version and the server certificate's names and validity.
    ///
    /// NIOSSL does not expose the negotiated cipher suite, so `cipher` stays nil.
    init(version: TLSVersion?, certificate: NIOSSLCertificate?) {
        self.init(
            protocolVersion: version.map(Self.name(of:)),
            cipher: nil,
            subject: certificate.map { Self.distinguishedName($0.subjectName) },
            issuer: certificate.map { Self.distinguishedName($0.issuerName) },
            notBefore: certificate.map { Self.iso8601($0.notValidBefore) },
            notAfter: certificate.map { Self.iso8601($0.notValidAfter) }
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
}
