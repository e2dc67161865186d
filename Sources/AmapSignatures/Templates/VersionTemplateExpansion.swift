import AmapModel

/// The outcome of expanding a signature's version templates: the fields, and why any field was left empty.
public struct VersionTemplateExpansion: Sendable, Hashable {
    /// The expanded fields; a field whose template failed is nil.
    public var version: VersionInfo
    /// One line per template that could not be filled (`v: group 3 did not take part in the match`), as nmap warns.
    public var warnings: [String]

    /// Creates an expansion result.
    public init(version: VersionInfo, warnings: [String] = []) {
        self.version = version
        self.warnings = warnings
    }
}

/// The sizes of nmap's version-field buffers (service_scan.cc). A field holds at most `size - 1` bytes of text,
/// because the buffer also holds the C string's terminating NUL; longer text drops the field.
public enum VersionFieldLimit {
    /// `p/` buffer: 80 bytes.
    public static let product = 80
    /// `v/` buffer: 80 bytes.
    public static let version = 80
    /// `i/` buffer: 256 bytes.
    public static let info = 256
    /// `h/` buffer: 80 bytes.
    public static let hostname = 80
    /// `o/` buffer: 32 bytes.
    public static let operatingSystem = 32
    /// `d/` buffer: 32 bytes.
    public static let deviceType = 32
    /// Each `cpe:/` slot's buffer: 80 bytes.
    public static let cpe = 80
}

/// Expansion of version templates against a regex match (nmap's `$1`…`$9`, `$P()`, `$SUBST()`, `$I()`).
///
/// Rules, as nmap applies them:
/// - Placeholders are expanded left to right; literal text is copied as written.
/// - A placeholder whose group did not take part, an unknown helper, bad helper arguments or a `$` that starts no
///   placeholder leave the whole field empty (nil), with a warning.
/// - Trailing whitespace and commas are removed; a field that ends up empty is nil.
/// - A field longer than its buffer allows (`VersionFieldLimit`, measured before trimming) is dropped, with a warning.
/// - In `cpe:/` templates the substituted text only is lower-cased, whitespace becomes `_` and CPE's reserved
///   characters are percent-encoded (`CPEEscaping`). The letter after `cpe:/` picks the slot (`a`, `h`, `o`);
///   within a slot the last template wins; other letters are ignored with a warning. `cpes` lists the filled
///   slots in the order of their templates.
/// - Bytes become text as UTF-8 when the field is valid UTF-8, else as ISO-8859-1 (`TemplateText.versionText`), so no
///   byte is ever lost or replaced.
extension VersionTemplates {
    /// Expands every template using `match` over `subject`.
    ///
    /// A template whose placeholders cannot be filled (a group that did not take part, a bad helper) yields an
    /// empty (nil) field, as nmap does.
    public func expand(_ match: RegexMatch, subject: [UInt8]) -> VersionInfo {
        expandReportingWarnings(match, subject: subject).version
    }

    /// Expands every template and says, for each field left empty by a failure, why.
    public func expandReportingWarnings(_ match: RegexMatch, subject: [UInt8]) -> VersionTemplateExpansion {
        var warnings: [String] = []
        func fill(_ code: String, _ template: [UInt8]?, _ bufferSize: Int) -> String? {
            guard let template else { return nil }
            switch Self.expandField(template, bufferSize: bufferSize, isCPE: false, match: match, subject: subject) {
            case .success(let bytes):
                return bytes.map(TemplateText.versionText)
            case .failure(let failure):
                warnings.append("\(code): \(failure.message)")
                return nil
            }
        }
        var info = VersionInfo()
        info.product = fill("p", product, VersionFieldLimit.product)
        info.version = fill("v", version, VersionFieldLimit.version)
        info.info = fill("i", self.info, VersionFieldLimit.info)
        info.hostname = fill("h", hostname, VersionFieldLimit.hostname)
        info.operatingSystem = fill("o", operatingSystem, VersionFieldLimit.operatingSystem)
        info.deviceType = fill("d", deviceType, VersionFieldLimit.deviceType)

        // Slot letter -> (index of the template that last filled it, text or nil after a failure).
        var slots: [UInt8: (index: Int, text: String?)] = [:]
        for (index, template) in cpes.enumerated() {
            let partIndex = Self.cpePrefix.count
            guard template.count > partIndex, Self.cpeParts.contains(template[partIndex]) else {
                let shown = TemplateText.latin1(Array(template.prefix(partIndex + 1)))
                warnings.append("cpe: ignoring '\(shown)…': the letter after 'cpe:/' must be a, h or o")
                continue
            }
            switch Self.expandField(template, bufferSize: VersionFieldLimit.cpe, isCPE: true, match: match,
                                    subject: subject)
            {
            case .success(let bytes):
                slots[template[partIndex]] = (index, bytes.map(TemplateText.versionText))
            case .failure(let failure):
                warnings.append("cpe: \(failure.message)")
                slots[template[partIndex]] = (index, nil)
            }
        }
        info.cpes = slots.values.sorted { $0.index < $1.index }.compactMap(\.text)
        return VersionTemplateExpansion(version: info, warnings: warnings)
    }

    static let cpePrefix = Array("cpe:/".utf8)
    static let cpeParts: Set<UInt8> = [UInt8(ascii: "a"), UInt8(ascii: "h"), UInt8(ascii: "o")]

    /// Expands one template; nil when the result is empty after trimming.
    static func expandField(
        _ template: [UInt8],
        bufferSize: Int,
        isCPE: Bool,
        match: RegexMatch,
        subject: [UInt8]
    ) -> Result<[UInt8]?, TemplatePlaceholder.Failure> {
        let maximumLength = bufferSize - 1
        var out: [UInt8] = []
        var index = 0
        do throws(TemplatePlaceholder.Failure) {
            while index < template.count {
                if template[index] == UInt8(ascii: "$") {
                    let (placeholder, next) = try TemplatePlaceholder.parse(template, at: index)
                    let value = try placeholder.evaluate(match, subject: subject)
                    out += isCPE ? CPEEscaping.transform(value) : value
                    index = next
                } else {
                    out.append(template[index])
                    index += 1
                }
                if out.count > maximumLength {
                    throw TemplatePlaceholder.Failure(
                        "the text is longer than the field's \(maximumLength) bytes, so the field is dropped")
                }
            }
        } catch {
            return .failure(error)
        }
        while let last = out.last, TemplateText.isWhitespace(last) || last == UInt8(ascii: ",") {
            out.removeLast()
        }
        return .success(out.isEmpty ? nil : out)
    }
}
