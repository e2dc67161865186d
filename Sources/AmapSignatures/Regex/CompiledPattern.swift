/// A PCRE2 pattern compiled in 8-bit, non-UTF mode: bytes in, byte offsets out.
///
/// `@unchecked Sendable` is sound here: `code` and `matchContext` are written only in `init` and freed only in
/// `deinit`; PCRE2 documents a compiled pattern and a match context as safe to share between threads as long as
/// they are not modified, and every match allocates its own match data.
public final class CompiledPattern: @unchecked Sendable {
    /// The pattern's source bytes, exactly as written in the signature file.
    public let source: [UInt8]
    /// The options it was compiled with.
    public let options: PatternOptions
    /// The limits every match runs under.
    public let limits: MatchLimits
    /// The number of capture groups in the pattern.
    public let captureCount: Int

    private let library: PCRE2Library
    private let code: OpaquePointer
    private let matchContext: OpaquePointer

    /// Compiles `source`.
    ///
    /// - Parameter rejectEmptyMatch: refuse patterns that can match the empty string, as nmap does.
    public init(
        _ source: [UInt8],
        options: PatternOptions = [],
        limits: MatchLimits = .nmap,
        rejectEmptyMatch: Bool = false
    ) throws(RegexError) {
        let library = try PCRE2Library.shared.get()
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = source.withUnsafeBufferPointer { buffer in
            // A non-nil pointer even for an empty pattern: PCRE2 rejects NULL with a non-zero length only.
            library.compile(buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count, options.pcre2Bits,
                            &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw .compileFailed(message: library.message(for: errorCode), offset: errorOffset)
        }
        var matchesEmpty: UInt32 = 0
        _ = library.patternInfo(compiled, PCRE2Constant.infoMatchEmpty, &matchesEmpty)
        if rejectEmptyMatch && matchesEmpty != 0 {
            library.codeFree(compiled)
            throw .matchesEmptyString
        }
        var captures: UInt32 = 0
        _ = library.patternInfo(compiled, PCRE2Constant.infoCaptureCount, &captures)
        guard let context = library.matchContextCreate(nil) else {
            library.codeFree(compiled)
            throw .compileFailed(message: "out of memory creating a match context", offset: 0)
        }
        _ = library.setMatchLimit(context, limits.matchLimit)
        _ = library.setDepthLimit(context, limits.depthLimit)
        _ = library.setHeapLimit(context, limits.heapLimitKiB)
        self.library = library
        self.code = compiled
        self.matchContext = context
        self.source = source
        self.options = options
        self.limits = limits
        self.captureCount = Int(captures)
    }

    /// Compiles a pattern given as text (its UTF-8 bytes).
    public convenience init(
        _ source: String,
        options: PatternOptions = [],
        limits: MatchLimits = .nmap,
        rejectEmptyMatch: Bool = false
    ) throws(RegexError) {
        try self.init(Array(source.utf8), options: options, limits: limits, rejectEmptyMatch: rejectEmptyMatch)
    }

    deinit {
        library.matchContextFree(matchContext)
        library.codeFree(code)
    }

    /// Searches `subject` (unanchored unless the pattern anchors itself) for the first match.
    public func firstMatch(in subject: [UInt8]) -> RegexOutcome {
        guard let matchData = library.matchDataCreateFromPattern(code, nil) else { return .noMatch }
        defer { library.matchDataFree(matchData) }
        let result = subject.withUnsafeBufferPointer { buffer in
            library.match(code, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count, 0, 0, matchData,
                          matchContext)
        }
        if result == PCRE2Constant.errorMatchLimit || result == PCRE2Constant.errorDepthLimit
            || result == PCRE2Constant.errorHeapLimit
        {
            return .limitExceeded
        }
        guard result > 0, let ovector = library.ovectorPointer(matchData) else { return .noMatch }
        let pairs = min(Int(library.ovectorCount(matchData)), captureCount + 1)
        var groups: [Range<Int>?] = []
        groups.reserveCapacity(captureCount + 1)
        for index in 0..<(captureCount + 1) {
            guard index < pairs, index < Int(result) || index == 0 else {
                groups.append(nil)
                continue
            }
            let start = ovector[2 * index]
            let end = ovector[2 * index + 1]
            if start == PCRE2Constant.unset || end == PCRE2Constant.unset || start > end {
                groups.append(nil)
            } else {
                groups.append(start..<end)
            }
        }
        return .matched(RegexMatch(groups: groups))
    }

    /// True when the pattern matches somewhere in `subject` (limit hits count as no match).
    public func matches(_ subject: [UInt8]) -> Bool {
        if case .matched = firstMatch(in: subject) { return true }
        return false
    }
}
