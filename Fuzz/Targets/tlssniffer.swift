/// The engine's TLS recogniser, on every input and on every suffix of it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTLSSniffer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let whole = TLSRecordSniffer.looksLikeTLS(bytes)
    if whole && (size < 3 || !(bytes[0] == 0x15 || bytes[0] == 0x16) || bytes[1] != 3 || bytes[2] > 4) {
        fatalError("TLSRecordSniffer accepted a non-TLS prefix")
    }
    for start in 0..<min(size, 8) { _ = TLSRecordSniffer.looksLikeTLS(bytes[start...]) }
    return 0
}
