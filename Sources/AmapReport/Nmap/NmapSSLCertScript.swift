import AmapModel

/// The server certificate as nmap's `ssl-cert` script result inside `<port>`, for a TLS-wrapped port and for one that
/// `--starttls` upgraded (or tried to), so that readers of nmap's XML find it where they look: a multi-line `output`
/// attribute, then `<table>`/`<elem>` children (nmap.dtd: `script (#PCDATA|table|elem)*`). Keys are named as nmap's
/// script names them where it has them (`pubkey` with `type` and `bits`, `validity` with `notBefore` and
/// `notAfter`); `subjectAltName`, `sha256`, `chain_length`, `protocol`, `starttls` and `starttls_error` are amap's.
enum NmapSSLCertScript {
    /// The script id (nmap's name for certificate facts).
    static let id = "ssl-cert"

    /// The element for `details`, or "" when they carry no certificate facts and are not from an upgrade.
    static func element(_ details: TLSDetails) -> String {
        if details.isStartTLS, let error = details.startTLSError {
            return "<script id=\"\(id)\" output=\"\(escape("STARTTLS \(error)"))\">"
                + elem("starttls", "true") + elem("starttls_error", error) + "</script>"
        }
        guard details.isStartTLS || details.subject != nil || details.sha256Fingerprint != nil else { return "" }
        var lines: [String] = []
        var children = details.isStartTLS ? elem("starttls", "true") : ""
        if details.isStartTLS, let version = details.protocolVersion {
            lines.append("Protocol: \(version) (STARTTLS)")
            children += elem("protocol", version)
        }
        if let subject = details.subject {
            lines.append("Subject: \(subject)")
            children += elem("subject", subject)
        }
        if let names = details.subjectAlternativeNames, !names.isEmpty {
            lines.append("Subject Alternative Name: \(names.joined(separator: ", "))")
            children += "<table key=\"subjectAltName\">" + names.map { elem(nil, $0) }.joined() + "</table>"
        }
        if let issuer = details.issuer {
            lines.append("Issuer: \(issuer)")
            children += elem("issuer", issuer)
        }
        if let type = details.keyType {
            lines.append("Public Key type: \(type)")
            var table = elem("type", type)
            if let bits = details.keyBits {
                lines.append("Public Key bits: \(bits)")
                table += elem("bits", String(bits))
            }
            children += "<table key=\"pubkey\">\(table)</table>"
        }
        if details.notBefore != nil || details.notAfter != nil {
            var validity = ""
            if let notBefore = details.notBefore {
                lines.append("Not valid before: \(notBefore)")
                validity += elem("notBefore", notBefore)
            }
            if let notAfter = details.notAfter {
                lines.append("Not valid after:  \(notAfter)")
                validity += elem("notAfter", notAfter)
            }
            children += "<table key=\"validity\">\(validity)</table>"
        }
        if let fingerprint = details.sha256Fingerprint {
            lines.append("SHA-256: \(fingerprint)")
            children += elem("sha256", fingerprint)
        }
        if let chain = details.chainLength {
            lines.append("Chain length: \(chain)")
            children += elem("chain_length", String(chain))
        }
        // A line break inside an attribute must be a character reference, or a parser turns it into a space.
        let output = lines.map(escape).joined(separator: "&#xa;")
        return "<script id=\"\(id)\" output=\"\(output)\">\(children)</script>"
    }

    private static func elem(_ key: String?, _ value: String) -> String {
        let keyAttribute = key.map { " key=\"\(escape($0))\"" } ?? ""
        return "<elem\(keyAttribute)>\(escape(value))</elem>"
    }

    private static func escape(_ text: String) -> String {
        XMLEscaping.escape(text)
    }
}
