/// Why a pattern could not be compiled or the regex engine could not be used.
public enum RegexError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libpcre2-8 could not be loaded.
    case libraryMissing(tried: [String])
    /// The library was found but lacks functions every PCRE2 10.30+ build has.
    case librarySymbolsMissing
    /// PCRE2 rejected the pattern at `offset` (a byte offset into the pattern).
    case compileFailed(message: String, offset: Int)
    /// The pattern can match the empty string, which nmap rejects because it would match every response.
    case matchesEmptyString

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .libraryMissing(let tried):
            return "the PCRE2 library is not installed (tried \(tried.joined(separator: ", "))); "
                + "install it with 'apt-get install libpcre2-8-0' (Debian/Ubuntu) or 'dnf install pcre2'"
        case .librarySymbolsMissing:
            return "the installed libpcre2-8 is too old (PCRE2 10.30 or later is needed)"
        case .compileFailed(let message, let offset):
            return "bad regular expression at offset \(offset): \(message)"
        case .matchesEmptyString:
            return "the pattern can match the empty string, so it would match every response"
        }
    }
}
