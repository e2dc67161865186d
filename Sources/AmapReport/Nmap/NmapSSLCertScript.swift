import AmapModel

/// The server certificate as nmap's `ssl-cert` script result inside `<port>`: an `output` text for readers of the
/// text, and `elem`/`table` children for programs (keys named as nmap's script names them where it has them:
/// `pubkey` with `type` and `bits`, `validity` with `notBefore` and `notAfter`; `sha256`, `san` and
/// `chain_length` are amap's).
enum NmapSSLCertScript {
    /// The `<script id="ssl-cert">` element, or "" when `tls` carries no certificate facts.
    static func element(_ tls: TLSDetails) -> String {
        guard tls.subject != nil || tls.sha256Fingerprint != nil else { return "" }
        var lines: [String] = []
        var children = ""
        if let subject = tls.subject {
            lines.append("Subject: \(subject)")
            children += elem("subject", subject)
        }
        if !tls.subjectAlternativeNames.isEmpty {
            lines.append("Subject Alternative Name: " + tls.subjectAlternativeNames.joined(separator: ", "))
            children += "<table key=\"san\">" + tls.subjectAlternativeNames.map { elem(nil, $0) }.joined()
                + "</table>"
        }
        if let issuer = tls.issuer {
            lines.append("Issuer: \(issuer)")
            children += elem("issuer", issuer)
        }
        if let type = tls.keyType {
            lines.append("Public Key type: \(type)")
            var table = elem("type", type)
            if let bits = tls.keyBits {
                lines.append("Public Key bits: \(bits)")
                table += elem("bits", String(bits))
            }
            children += "<table key=\"pubkey\">\(table)</table>"
        }
        if tls.notBefore != nil || tls.notAfter != nil {
            var table = ""
            if let notBefore = tls.notBefore {
                lines.append("Not valid before: \(notBefore)")
                table += elem("notBefore", notBefore)
            }
            if let notAfter = tls.notAfter {
                lines.append("Not valid after:  \(notAfter)")
                table += elem("notAfter", notAfter)
            }
            children += "<table key=\"validity\">\(table)</table>"
        }
        if let chain = tls.chainLength {
            lines.append("Certificates presented: \(chain)")
            children += elem("chain_length", String(chain))
        }
        if let fingerprint = tls.sha256Fingerprint {
            lines.append("SHA-256: \(fingerprint)")
            children += elem("sha256", fingerprint)
        }
        // A line feed inside an attribute must be a character reference, or XML parsers turn it into a space.
        let output = lines.map(XMLEscaping.escape).joined(separator: "&#xa;")
        return "<script id=\"ssl-cert\" output=\"\(output)\">\(children)</script>"
    }

    private static func elem(_ key: String?, _ value: String) -> String {
        let attribute = key.map { " key=\"\(XMLEscaping.escape($0))\"" } ?? ""
        return "<elem\(attribute)>\(XMLEscaping.escape(value))</elem>"
    }
}
