/// The DATA field of an appdefs.trig line: a quoted string with `\\ \n \r \t` escapes, or `0x` and hex digits.
enum AppdefsTriggerData {
    /// Parses field 5 of a trigger line, which starts at raw column `column`.
    ///
    /// Like amap, the parser skips ahead to the first `"` or `0`; skipped characters other than spaces and tabs
    /// earn a warning. A string runs to the **last** `"` on the line, so a quote needs no escape inside it.
    static func parse(_ rest: ArraySlice<UInt8>, column: Int, warnings: inout [AppdefsLineWarning])
        throws(AppdefsLineError) -> [UInt8]
    {
        func columnOf(_ index: Int) -> Int { column + index - rest.startIndex }
        let quote = UInt8(ascii: "\"")
        let zero = UInt8(ascii: "0")
        guard let start = rest.firstIndex(where: { $0 == quote || $0 == zero }) else {
            throw AppdefsLineError(
                column: columnOf(rest.firstIndex { !isBlank($0) } ?? rest.endIndex),
                "expected trigger data: a string in double quotes or 0x followed by hex digits")
        }
        if let junk = rest[..<start].firstIndex(where: { !isBlank($0) }) {
            warnings.append(AppdefsLineWarning(column: columnOf(junk),
                                               "characters before the trigger data are ignored"))
        }
        let payload: [UInt8]
        if rest[start] == quote {
            payload = try parseString(rest, openingQuote: start, columnOf: columnOf, warnings: &warnings)
        } else {
            payload = try parseHex(rest, zeroAt: start, columnOf: columnOf)
        }
        if payload.isEmpty {
            warnings.append(AppdefsLineWarning(column: columnOf(start),
                                               "empty trigger: nothing is sent, the port is only listened to"))
        }
        return payload
    }

    private static func parseString(
        _ rest: ArraySlice<UInt8>, openingQuote: Int, columnOf: (Int) -> Int, warnings: inout [AppdefsLineWarning]
    ) throws(AppdefsLineError) -> [UInt8] {
        let quote = UInt8(ascii: "\"")
        guard let closing = rest.lastIndex(of: quote), closing > openingQuote else {
            throw AppdefsLineError(column: columnOf(rest.endIndex), "unterminated string: expected a closing '\"'")
        }
        if let trailing = rest[(closing + 1)...].firstIndex(where: { !isBlank($0) }) {
            warnings.append(AppdefsLineWarning(column: columnOf(trailing),
                                               "characters after the closing '\"' are ignored"))
        }
        var payload: [UInt8] = []
        var index = openingQuote + 1
        while index < closing {
            let byte = rest[index]
            guard byte == UInt8(ascii: "\\") else {
                payload.append(byte)
                index += 1
                continue
            }
            guard index + 1 < closing else {
                throw AppdefsLineError(column: columnOf(index),
                                       "'\\' at the end of the string; write '\\\\' for a backslash")
            }
            switch rest[index + 1] {
            case UInt8(ascii: "\\"): payload.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "n"): payload.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "r"): payload.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "t"): payload.append(UInt8(ascii: "\t"))
            default:
                let shown = printable(rest[index + 1])
                throw AppdefsLineError(
                    column: columnOf(index),
                    "unknown escape '\\\(shown)'; only \\\\ \\n \\r \\t are allowed (write binary data as 0x...)")
            }
            index += 2
        }
        return payload
    }

    private static func parseHex(_ rest: ArraySlice<UInt8>, zeroAt start: Int, columnOf: (Int) -> Int)
        throws(AppdefsLineError) -> [UInt8]
    {
        let markerIndex = start + 1
        let isMarker = markerIndex < rest.endIndex
            && (rest[markerIndex] == UInt8(ascii: "x") || rest[markerIndex] == UInt8(ascii: "X"))
        guard isMarker else {
            throw AppdefsLineError(column: columnOf(start),
                                   "expected trigger data: a string in double quotes or 0x followed by hex digits")
        }
        var nibbles: [(value: UInt8, index: Int)] = []
        for index in (markerIndex + 1)..<rest.endIndex where !isBlank(rest[index]) {
            guard let value = hexValue(rest[index]) else {
                throw AppdefsLineError(column: columnOf(index),
                                       "expected a hex digit (0-9, a-f) in 0x trigger data, found '"
                                           + printable(rest[index]) + "'")
            }
            nibbles.append((value, index))
        }
        guard nibbles.count.isMultiple(of: 2) else {
            throw AppdefsLineError(
                column: columnOf(nibbles.last?.index ?? markerIndex),
                "0x trigger data has \(nibbles.count) hex digits; an even number is needed (two per byte)")
        }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0].value << 4 | nibbles[$0 + 1].value }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A byte as diagnostic text: itself when printable ASCII, else `\xHH`.
    static func printable(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return String(UnicodeScalar(byte)) }
        let digits = Array("0123456789abcdef")
        return "\\x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
    }
}
