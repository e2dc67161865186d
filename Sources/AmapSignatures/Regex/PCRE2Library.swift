#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's libpcre2-8, loaded at run time with `dlopen`.
///
/// Loading at run time keeps `swift build` free of the `-dev` headers, which a fresh Debian machine does not
/// have; the runtime library itself (`libpcre2-8-0`) is installed everywhere because apt and grep need it.
struct PCRE2Library: Sendable {
    typealias Compile = @convention(c) (
        UnsafePointer<UInt8>?, Int, UInt32, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int>?, OpaquePointer?
    ) -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias MatchDataCreateFromPattern = @convention(c) (OpaquePointer?, OpaquePointer?) -> OpaquePointer?
    typealias Match = @convention(c) (
        OpaquePointer?, UnsafePointer<UInt8>?, Int, Int, UInt32, OpaquePointer?, OpaquePointer?
    ) -> Int32
    typealias OvectorPointer = @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<Int>?
    typealias OvectorCount = @convention(c) (OpaquePointer?) -> UInt32
    typealias MatchContextCreate = @convention(c) (OpaquePointer?) -> OpaquePointer?
    typealias SetLimit = @convention(c) (OpaquePointer?, UInt32) -> Int32
    typealias ErrorMessage = @convention(c) (Int32, UnsafeMutablePointer<UInt8>?, Int) -> Int32
    typealias PatternInfo = @convention(c) (OpaquePointer?, UInt32, UnsafeMutableRawPointer?) -> Int32
    typealias JITCompile = @convention(c) (OpaquePointer?, UInt32) -> Int32

    let compile: Compile
    let codeFree: Free
    let matchDataCreateFromPattern: MatchDataCreateFromPattern
    let matchDataFree: Free
    let match: Match
    let ovectorPointer: OvectorPointer
    let ovectorCount: OvectorCount
    let matchContextCreate: MatchContextCreate
    let matchContextFree: Free
    let setMatchLimit: SetLimit
    let setDepthLimit: SetLimit
    let setHeapLimit: SetLimit
    let errorMessage: ErrorMessage
    let patternInfo: PatternInfo
    let jitCompile: JITCompile?

    /// File names tried in order: the SONAME first, then the unversioned development link.
    static let candidateNames = ["libpcre2-8.so.0", "libpcre2-8.so", "libpcre2-8.0.dylib", "libpcre2-8.dylib"]

    /// The library, loaded once per process; the error says which package provides it.
    static let shared: Result<PCRE2Library, RegexError> = load()

    private static func load() -> Result<PCRE2Library, RegexError> {
        var handle: UnsafeMutableRawPointer?
        for name in candidateNames {
            handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)
            if handle != nil { break }
        }
        guard let handle else {
            return .failure(.libraryMissing(tried: candidateNames))
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(handle, name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        guard
            let compile = symbol("pcre2_compile_8", as: Compile.self),
            let codeFree = symbol("pcre2_code_free_8", as: Free.self),
            let matchDataCreate = symbol("pcre2_match_data_create_from_pattern_8", as: MatchDataCreateFromPattern.self),
            let matchDataFree = symbol("pcre2_match_data_free_8", as: Free.self),
            let match = symbol("pcre2_match_8", as: Match.self),
            let ovectorPointer = symbol("pcre2_get_ovector_pointer_8", as: OvectorPointer.self),
            let ovectorCount = symbol("pcre2_get_ovector_count_8", as: OvectorCount.self),
            let matchContextCreate = symbol("pcre2_match_context_create_8", as: MatchContextCreate.self),
            let matchContextFree = symbol("pcre2_match_context_free_8", as: Free.self),
            let setMatchLimit = symbol("pcre2_set_match_limit_8", as: SetLimit.self),
            let setDepthLimit = symbol("pcre2_set_depth_limit_8", as: SetLimit.self),
            let setHeapLimit = symbol("pcre2_set_heap_limit_8", as: SetLimit.self),
            let errorMessage = symbol("pcre2_get_error_message_8", as: ErrorMessage.self),
            let patternInfo = symbol("pcre2_pattern_info_8", as: PatternInfo.self)
        else {
            return .failure(.librarySymbolsMissing)
        }
        return .success(
            PCRE2Library(
                compile: compile,
                codeFree: codeFree,
                matchDataCreateFromPattern: matchDataCreate,
                matchDataFree: matchDataFree,
                match: match,
                ovectorPointer: ovectorPointer,
                ovectorCount: ovectorCount,
                matchContextCreate: matchContextCreate,
                matchContextFree: matchContextFree,
                setMatchLimit: setMatchLimit,
                setDepthLimit: setDepthLimit,
                setHeapLimit: setHeapLimit,
                errorMessage: errorMessage,
                patternInfo: patternInfo,
                jitCompile: symbol("pcre2_jit_compile_8", as: JITCompile.self)
            )
        )
    }

    /// PCRE2's text for an error code.
    func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { errorMessage(code, $0.baseAddress, $0.count) }
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer.prefix(Int(length)), as: UTF8.self)
    }
}

/// Constants from `pcre2.h` (10.42), written out because the header is not installed on user machines.
enum PCRE2Constant {
    static let caseless: UInt32 = 0x0000_0008
    static let dotAll: UInt32 = 0x0000_0020
    static let multiline: UInt32 = 0x0000_0400
    static let jitComplete: UInt32 = 0x0000_0001
    static let errorNoMatch: Int32 = -1
    static let errorMatchLimit: Int32 = -47
    static let errorDepthLimit: Int32 = -53
    static let errorHeapLimit: Int32 = -63
    static let infoCaptureCount: UInt32 = 4
    static let infoMatchEmpty: UInt32 = 13
    static let infoMinLength: UInt32 = 16
    /// PCRE2_UNSET is ~(size_t)0, which reads as -1 through a signed ovector pointer.
    static let unset = -1
}
