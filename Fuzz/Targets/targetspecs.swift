import AmapTargets

/// Target and port specifications: the input's lines are positional arguments (`TARGET PORT…` groups); each line is
/// also parsed alone as a target and as a port list.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTargetSpecs(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let arguments = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for argument in arguments {
        _ = try? TargetSpec.parse(argument)
        _ = try? PortList.parse(argument)
        _ = PortList.looksLikePortSpec(argument)
    }
    _ = try? PositionalArguments.split(arguments)
    return 0
}
