import AmapSignatures

/// amap 5.4 appdefs: the first byte picks the file kind (.trig, .resp, .rpc), the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAppdefs(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 3 {
    case 0: _ = AppdefsLoader.parseTriggers(bytes: bytes, fileName: "fuzz.trig")
    case 1: _ = AppdefsLoader.parseResponses(bytes: bytes, fileName: "fuzz.resp")
    default: _ = AppdefsLoader.parseRPC(bytes: bytes, fileName: "fuzz.rpc")
    }
    return 0
}
