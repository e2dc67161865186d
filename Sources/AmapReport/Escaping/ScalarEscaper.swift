/// The loop the terminal and XML escapers share: every scalar rendered by the escaper's rule, every byte that is
/// not part of valid UTF-8 written `\xHH` (never turned into U+FFFD or a Latin-1 character it never was).
enum ScalarEscaper {
    /// A rule: appends the escaped form of one scalar.
    typealias Rule = (Unicode.Scalar, inout String) -> Void

    /// `text` with each scalar rendered by `rule`.
    static func escape(_ text: String, with rule: Rule) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            rule(scalar, &output)
        }
        return output
    }

    /// `bytes` read as UTF-8, each scalar rendered by `rule`, each invalid byte as `\xHH`.
    static func escape(bytes: [UInt8], with rule: Rule) -> String {
        var output = ""
        output.reserveCapacity(bytes.count)
        for unit in DecodedByte.decode(bytes) {
            switch unit {
            case .scalar(let scalar): rule(scalar, &output)
            case .invalid(let byte): output += "\\x" + Hex.byte(byte)
            }
        }
        return output
    }
}
