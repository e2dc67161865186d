/// What a TLS handshake revealed: protocol version, cipher and the server certificate.
public struct TLSDetails: Sendable, Hashable, Codable {
    /// `TLSv1.3`, `TLSv1.2`, …
    public var protocolVersion: String?
    /// The negotiated cipher suite's name.
    public var cipher: String?
    /// The certificate subject (`CN=example,O=…`).
    public var subject: String?
    /// The certificate issuer.
    public var issuer: String?
    /// Start of validity, ISO 8601.
    public var notBefore: String?
    /// End of validity, ISO 8601.
    public var notAfter: String?

    /// Creates details; every field is optional.
    public init(
        protocolVersion: String? = nil,
        cipher: String? = nil,
        subject: String? = nil,
        issuer: String? = nil,
        notBefore: String? = nil,
        notAfter: String? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.cipher = cipher
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}
