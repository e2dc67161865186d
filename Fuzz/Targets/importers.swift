import AmapTargets

/// Target importers (`-i FILE`): the first byte picks a format or auto-detection, the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImporters(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let formats = ImportFormat.allCases
    let choice = Int(data[0]) % (formats.count + 1)
    let format = choice < formats.count ? formats[choice] : nil
    _ = try? TargetImporter.parse(bytes: bytes, format: format)
    return 0
}
