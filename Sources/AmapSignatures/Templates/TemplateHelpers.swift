/// One `$…` placeholder of a version template: `$1`…`$9`, `$P(n)`, `$SUBST(n,"find","replace")`, `$I(n,">")`.
enum TemplatePlaceholder: Sendable, Hashable {
    /// `$n`: the capture's bytes.
    case group(Int)
    /// `$P(n)`: the capture with every non-printable byte dropped (UTF-16LE `W\0O\0` becomes `WO`).
    case printable(Int)
    /// `$SUBST(n,"find","replace")`: the capture with every occurrence of `find` replaced, left to right.
    case substitute(Int, find: [UInt8], replacement: [UInt8])
    /// `$I(n,">")` / `$I(n,"<")`: the capture (at most 8 bytes) as an unsigned big/little-endian integer, in decimal.
    case integer(Int, bigEndian: Bool)

    /// Why a placeholder could not be parsed or filled; the field it is in becomes empty.
    struct Failure: Error, Sendable, Hashable {
        /// What is wrong, for a warning.
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// An argument of a helper: a number or a double-quoted, C-escaped string.
    enum Argument: Sendable, Hashable {
        case integer(Int)
        case string([UInt8])
    }

    /// nmap's bounds on helper calls (service_scan.cc: SUBSTARGS_MAX_ARGS, SUBSTARGS_STRLEN, the command buffer).
    static let maximumArguments = 5
    /// A string argument must fit a 128-byte C buffer with its NUL.
    static let maximumStringArgumentLength = 127
    /// A helper name must fit a 16-byte C buffer with its NUL.
    static let maximumHelperNameLength = 15
    /// `$I()` reads at most a 64-bit integer.
    static let maximumIntegerBytes = 8

    /// Parses the placeholder whose `$` is at `start`; returns it and the index just after it.
    static func parse(_ template: [UInt8], at start: Int) throws(Failure) -> (TemplatePlaceholder, Int) {
        let first = start + 1
        guard first < template.count else {
            throw Failure("a '$' ends the template; expected $1…$9 or a helper such as $P(1)")
        }
        if TemplateText.isDigit(template[first]) {
            // One digit only: `$10` is `$1` followed by a literal `0`, as in nmap.
            return (.group(Int(template[first] - UInt8(ascii: "0"))), first + 1)
        }
        guard let open = template[first...].firstIndex(of: UInt8(ascii: "(")) else {
            throw Failure("'$' must be followed by a group digit 1…9 or a helper such as $P(1)")
        }
        let name = template[first..<open]
        guard !name.isEmpty, name.count <= maximumHelperNameLength else {
            throw Failure("unknown helper '$\(TemplateText.latin1(Array(name.prefix(20))))()'; "
                + "expected $P(), $SUBST() or $I()")
        }
        let (arguments, end) = try parseArguments(template, from: open + 1)
        let placeholder: TemplatePlaceholder
        switch Array(name) {
        case Array("P".utf8):
            guard arguments.count == 1, case .integer(let group) = arguments[0] else {
                throw Failure("$P() takes one group number, as in $P(1)")
            }
            placeholder = .printable(group)
        case Array("SUBST".utf8):
            guard arguments.count == 3, case .integer(let group) = arguments[0],
                case .string(let find) = arguments[1], case .string(let replacement) = arguments[2]
            else {
                throw Failure(#"$SUBST() takes a group number and two strings, as in $SUBST(1,"_",".")"#)
            }
            guard !find.isEmpty else { throw Failure("$SUBST() needs a non-empty string to find") }
            placeholder = .substitute(group, find: find, replacement: replacement)
        case Array("I".utf8):
            guard arguments.count == 2, case .integer(let group) = arguments[0], case .string(let order) = arguments[1],
                order == [UInt8(ascii: ">")] || order == [UInt8(ascii: "<")]
            else {
                throw Failure(#"$I() takes a group number and ">" (big-endian) or "<" (little-endian)"#)
            }
            placeholder = .integer(group, bigEndian: order == [UInt8(ascii: ">")])
        default:
            throw Failure("unknown helper '$\(TemplateText.latin1(Array(name)))()'; expected $P(), $SUBST() or $I()")
        }
        return (placeholder, end)
    }

    /// The bytes this placeholder stands for in `match` over `subject`.
    func evaluate(_ match: RegexMatch, subject: [UInt8]) throws(Failure) -> [UInt8] {
        switch self {
        case .group(let group):
            return try Self.capture(group, match, subject)
        case .printable(let group):
            return try Self.capture(group, match, subject).filter(TemplateText.isPrintable)
        case .substitute(let group, let find, let replacement):
            let capture = try Self.capture(group, match, subject)
            var out: [UInt8] = []
            var index = 0
            while index < capture.count {
                if capture.count - index >= find.count, capture[index..<(index + find.count)].elementsEqual(find) {
                    out += replacement
                    index += find.count
                } else {
                    out.append(capture[index])
                    index += 1
                }
            }
            return out
        case .integer(let group, let bigEndian):
            let capture = try Self.capture(group, match, subject)
            guard capture.count <= Self.maximumIntegerBytes else {
                throw Failure("$I(\(group)) reads at most 8 bytes, but group \(group) holds \(capture.count)")
            }
            let ordered = bigEndian ? capture : capture.reversed()
            let value = ordered.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return Array(String(value).utf8)
        }
    }

    private static func capture(_ group: Int, _ match: RegexMatch, _ subject: [UInt8]) throws(Failure) -> [UInt8] {
        guard (1...9).contains(group) else {
            throw Failure("group \(group) cannot be used; templates refer to groups 1…9")
        }
        guard let bytes = match.capture(group, in: subject) else {
            throw Failure("group \(group) did not take part in the match")
        }
        return bytes
    }

    /// Parses `arg, arg, …)` starting just after the `(`; returns the arguments and the index after the `)`.
    private static func parseArguments(_ template: [UInt8], from start: Int) throws(Failure) -> ([Argument], Int) {
        var arguments: [Argument] = []
        var index = start
        func skipWhitespace() {
            while index < template.count, TemplateText.isWhitespace(template[index]) { index += 1 }
        }
        while true {
            skipWhitespace()
            guard index < template.count else { throw Failure("a helper call is missing its ')'") }
            if template[index] == UInt8(ascii: ")") { return (arguments, index + 1) }
            guard arguments.count < maximumArguments else {
                throw Failure("a helper takes at most \(maximumArguments) arguments")
            }
            if template[index] == UInt8(ascii: "\"") {
                index += 1
                var raw: [UInt8] = []
                while true {
                    guard index < template.count else { throw Failure("a string argument is missing its closing '\"'") }
                    let byte = template[index]
                    if byte == UInt8(ascii: "\"") {
                        index += 1
                        break
                    }
                    raw.append(byte)
                    if byte == UInt8(ascii: "\\"), index + 1 < template.count {
                        raw.append(template[index + 1])
                        index += 1
                    }
                    index += 1
                    guard raw.count <= maximumStringArgumentLength else {
                        throw Failure("a string argument is longer than \(maximumStringArgumentLength) bytes")
                    }
                }
                do {
                    arguments.append(.string(try ProbeStringUnescaper.unescape(raw).bytes))
                } catch {
                    throw Failure("bad escape in a string argument: \(error.message)")
                }
            } else {
                var negative = false
                if template[index] == UInt8(ascii: "-") || template[index] == UInt8(ascii: "+") {
                    negative = template[index] == UInt8(ascii: "-")
                    index += 1
                }
                var value = 0
                var digits = 0
                while index < template.count, TemplateText.isDigit(template[index]) {
                    // Saturate: any group number past 9 is refused later, so precision is not needed.
                    value = min(value * 10 + Int(template[index] - UInt8(ascii: "0")), 1_000_000)
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { throw Failure("a helper argument must be a number or a quoted string") }
                arguments.append(.integer(negative ? -value : value))
            }
            skipWhitespace()
            guard index < template.count else { throw Failure("a helper call is missing its ')'") }
            switch template[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: ")"): return (arguments, index + 1)
            default: throw Failure("expected ',' or ')' after a helper argument")
            }
        }
    }
}
