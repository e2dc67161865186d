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
    /// The SHA-256 of the certificate's DER bytes, 64 lowercase hex digits (`openssl x509 -fingerprint -sha256`
    /// without the colons).
    public var sha256Fingerprint: String?
    /// The subject alternative names as `DNS:name`, `IP:address`, `email:…`, `URI:…`, in certificate order.
    public var subjectAlternativeNames: [String]
    /// The public key's algorithm: `rsa`, `ec`, `ed25519`, `ed448`, `dsa`.
    public var keyType: String?
    /// The key's size in bits (an RSA modulus, an EC curve's field).
    public var keyBits: Int?
    /// How many certificates the server presented (its certificate and the intermediates it sent).
    public var chainLength: Int?

    /// Creates details; every field is optional.
    public init(
        protocolVersion: String? = nil,
        cipher: String? = nil,
        subject: String? = nil,
        issuer: String? = nil,
        notBefore: String? = nil,
        notAfter: String? = nil,
        sha256Fingerprint: String? = nil,
        subjectAlternativeNames: [String] = [],
        keyType: String? = nil,
        keyBits: Int? = nil,
        chainLength: Int? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.cipher = cipher
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.sha256Fingerprint = sha256Fingerprint
        self.subjectAlternativeNames = subjectAlternativeNames
        self.keyType = keyType
        self.keyBits = keyBits
        self.chainLength = chainLength
    }
}
