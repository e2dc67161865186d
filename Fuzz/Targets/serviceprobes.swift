import AmapSignatures

/// nmap-service-probes: the whole input is one file (probes, matches, regexes compiled by PCRE2, templates).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServiceProbes(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? ServiceProbesLoader.load(bytes: bytes, fileName: "fuzz-service-probes")
    return 0
}
