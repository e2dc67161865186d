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
    /// The certificate's subject alternative names, as OpenSSL prints them (`DNS:localhost`, `IP:127.0.0.1`).
    public var subjectAlternativeNames: [String]?
    /// The SHA-256 digest of the certificate's DER encoding, as `AB:CD:…` (OpenSSL's `-fingerprint -sha256`).
    public var sha256Fingerprint: String?
    /// The public key's algorithm: `rsa`, `ec`, `ed25519`, `ed448`, `dsa`.
    public var keyType: String?
    /// The key's size in bits (an RSA modulus, an EC curve's field).
    public var keyBits: Int?
    /// How many certificates the server sent (leaf included); nil when not known.
    public var chainLength: Int?
    /// True when TLS was reached by an in-band upgrade (`--starttls`), not on a TLS-wrapped port.
    public var startTLS: Bool?
    /// Why an in-band upgrade did not give TLS (`refused: …`, `failed: …`); nil when it did, or none was tried.
    public var startTLSError: String?

    /// Creates details; every field is optional.
    public init(
        protocolVersion: String? = nil,
        cipher: String? = nil,
        subject: String? = nil,
        issuer: String? = nil,
        notBefore: String? = nil,
        notAfter: String? = nil,
        subjectAlternativeNames: [String]? = nil,
        sha256Fingerprint: String? = nil,
        keyType: String? = nil,
        keyBits: Int? = nil,
        chainLength: Int? = nil,
        startTLS: Bool? = nil,
        startTLSError: String? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.cipher = cipher
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.subjectAlternativeNames = subjectAlternativeNames
        self.sha256Fingerprint = sha256Fingerprint
        self.keyType = keyType
        self.keyBits = keyBits
        self.chainLength = chainLength
        self.startTLS = startTLS
        self.startTLSError = startTLSError
    }

    /// True for the details of an in-band upgrade (`--starttls`), whether it succeeded or not.
    public var isStartTLS: Bool { startTLS == true }
}
