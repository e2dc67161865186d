/// Expansion of version templates against a regex match (nmap's `$1`…`$9`, `$P()`, `$SUBST()`, `$I()`).
extension VersionTemplates {
    /// Expands every template using `match` over `subject`.
    ///
    /// A template whose placeholders cannot be filled (a group that did not take part, a bad helper) yields an
    /// empty (nil) field, as nmap does.
    public func expand(_ match: RegexMatch, subject: [UInt8]) -> VersionInfo {
        // Provisional: `$1`…`$9` only; the full grammar replaces this.
        func fill(_ template: [UInt8]?) -> String? {
            guard let template else { return nil }
            var out: [UInt8] = []
            var index = 0
            while index < template.count {
                let byte = template[index]
                if byte == UInt8(ascii: "$"), index + 1 < template.count,
                    let digit = Int(String(UnicodeScalar(template[index + 1])))
                {
                    guard let capture = match.capture(digit, in: subject) else { return nil }
                    out += capture
                    index += 2
                } else {
                    out.append(byte)
                    index += 1
                }
            }
            return out.isEmpty ? nil : String(decoding: out, as: UTF8.self)
        }
        return VersionInfo(
            product: fill(product),
            version: fill(version),
            info: fill(info),
            hostname: fill(hostname),
            operatingSystem: fill(operatingSystem),
            deviceType: fill(deviceType),
            cpes: cpes.compactMap { fill($0) }
        )
    }
}
