/// The matcher's answer: this port speaks `service`, with what version detail the signature extracted.
public struct Identification: Sendable, Hashable, Codable {
    /// The service name (`ssh`, `http`, amap's `ssh-openssh`).
    public var service: String
    /// True for a soft match: the service is named but probing may refine it.
    public var isSoft: Bool
    /// Product, version, info, host name, OS, device type and CPEs.
    public var version: VersionInfo
    /// True when the service was identified inside a TLS tunnel (`ssl/imap`).
    public var isTunnelled: Bool
    /// The probe and signature line behind the answer.
    public var evidence: Evidence

    /// Creates an identification.
    public init(service: String, isSoft: Bool = false, version: VersionInfo = VersionInfo(), isTunnelled: Bool = false,
                evidence: Evidence) {
        self.service = service
        self.isSoft = isSoft
        self.version = version
        self.isTunnelled = isTunnelled
        self.evidence = evidence
    }

    /// True when this hit means "the port speaks TLS: identify again inside it" (nmap `ssl`/`dtls`,
    /// amap `ssl`/`ssl-*`).
    public var requestsTLSRestart: Bool {
        !isSoft && (service == "ssl" || service == "dtls" || service.hasPrefix("ssl-"))
    }
}
