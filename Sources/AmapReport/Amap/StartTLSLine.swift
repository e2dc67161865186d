import AmapModel

/// The one human line per port that `--starttls` upgraded (or tried to), in amap's `… on HOST:PORT/tcp …` style:
///
///     STARTTLS on 127.0.0.1:25/tcp: TLSv1.3, subject CN=mail, issuer CN=CA, SAN DNS:mail,IP:127.0.0.1,
///     valid 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z, SHA-256 AB:…, chain 2
///     STARTTLS on 127.0.0.1:25/tcp refused: STARTTLS not offered in the EHLO answer
///
/// (each on one line). Every certificate field is escaped for the terminal.
enum StartTLSLine {
    /// The line, with its newline.
    static func text(_ endpoint: Endpoint, _ details: TLSDetails) -> String {
        let place = "STARTTLS on \(AmapText.endpoint(endpoint))"
        if let error = details.startTLSError {
            // `refused: …` / `failed: …` become `refused: …` after the place, as amap words its warnings.
            return "\(place) \(TerminalEscaping.escape(error))\n"
        }
        var parts: [String] = [details.protocolVersion ?? "TLS"]
        if let subject = details.subject { parts.append("subject \(subject)") }
        if let issuer = details.issuer { parts.append("issuer \(issuer)") }
        if let names = details.subjectAlternativeNames, !names.isEmpty {
            parts.append("SAN \(names.joined(separator: ","))")
        }
        if let notBefore = details.notBefore, let notAfter = details.notAfter {
            parts.append("valid \(notBefore) to \(notAfter)")
        }
        if let fingerprint = details.sha256Fingerprint { parts.append("SHA-256 \(fingerprint)") }
        if let chain = details.chainLength { parts.append("chain \(chain)") }
        return "\(place): \(TerminalEscaping.escape(parts.joined(separator: ", ")))\n"
    }
}
