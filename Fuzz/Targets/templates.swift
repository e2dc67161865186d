import AmapSignatures

/// Version templates (`$1`, `$P()`, `$SUBST()`, `$I()`): the template is the input up to the first NUL, the subject
/// the rest; the subject is cut into three capture groups (the second one absent when the subject is odd-sized).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplates(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0) ?? bytes.count
    let template = Array(bytes[..<split])
    let subject = split < bytes.count ? Array(bytes[(split + 1)...]) : []
    let third = subject.count / 3
    let groups: [Range<Int>?] = [
        0..<subject.count, 0..<third, subject.count % 2 == 0 ? third..<(2 * third) : nil, (2 * third)..<subject.count,
    ]
    let templates = VersionTemplates(
        product: template, version: template, info: template, hostname: template, operatingSystem: template,
        deviceType: template, cpes: [template])
    _ = templates.expandReportingWarnings(RegexMatch(groups: groups), subject: subject)
    return 0
}
