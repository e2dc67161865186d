import AmapModel

/// Parsers for the small fields of appdefs records: port hints, harmful flag, length, trigger list, numbers.
enum AppdefsFieldParsers {
    /// Numbers in appdefs fields are short; more digits than this is a typo, not a length or a port.
    static let maximumDigits = 9

    /// Field 2 of a trigger line: `PORT[,PORT...]`, each `N` or (our extension) `A-B`.
    ///
    /// amap parses the list and ignores it, so a bad entry only earns a warning and is dropped: the trigger still
    /// loads, as it does in amap.
    static func portHints(_ field: AppdefsField, warnings: inout [AppdefsLineWarning]) -> PortSet {
        guard !field.bytes.isEmpty else { return PortSet() }
        var ports = PortSet()
        for part in field.splitAtCommas() {
            guard !part.bytes.isEmpty else {
                warnings.append(AppdefsLineWarning(column: part.startColumn, "empty entry in the port list is ignored"))
                continue
            }
            let bounds = part.bytes.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
            let numbers = bounds.map { decimal($0) }
            guard (1...2).contains(numbers.count), let low = numbers.first ?? nil, let high = numbers.last ?? nil,
                (1...65_535).contains(low), (1...65_535).contains(high), low <= high
            else {
                warnings.append(AppdefsLineWarning(
                    column: part.column(at: 0),
                    "port hint '\(part.text)' is ignored: expected a port 1-65535 or a range A-B"))
                continue
            }
            ports.insert(UInt16(low)...UInt16(high))
        }
        return ports
    }

    /// Field 4 of a trigger line: exactly `0` or `1`.
    static func harmful(_ field: AppdefsField) throws(AppdefsLineError) -> Bool {
        switch field.bytes {
        case [UInt8(ascii: "0")]: return false
        case [UInt8(ascii: "1")]: return true
        default:
            let found = field.bytes.isEmpty ? "nothing" : "'\(field.text)'"
            throw AppdefsLineError(column: field.column(at: 0),
                                   "expected the harmful flag 0 or 1 in field 4, found \(found)")
        }
    }

    /// Field 4 of a response line: empty (any length), `N` (exactly N) or `MIN,MAX` (inclusive).
    ///
    /// amap reads the field with `atoi`, so `A-B` means exactly A; we do the same but warn, since the writer
    /// almost certainly meant the range (`A,B`).
    static func length(_ field: AppdefsField, warnings: inout [AppdefsLineWarning])
        throws(AppdefsLineError) -> ClosedRange<Int>?
    {
        guard !field.bytes.isEmpty else { return nil }
        let expected = "expected a length N or MIN,MAX in field 4"
        let parts = field.splitAtCommas()
        if parts.count == 2 {
            let low = try number(parts[0], what: expected)
            let high = try number(parts[1], what: expected)
            guard low <= high else {
                throw AppdefsLineError(column: field.column(at: 0),
                                       "length range \(low),\(high) is empty: MIN must not exceed MAX")
            }
            return low...high
        }
        guard parts.count == 1 else {
            throw AppdefsLineError(column: parts[2].startColumn - 1, "\(expected), found '\(field.text)'")
        }
        if let dash = field.bytes.firstIndex(of: UInt8(ascii: "-")), dash > 0 {
            let head = AppdefsField(bytes: Array(field.bytes[..<dash]), columns: Array(field.columns[..<dash]),
                                    startColumn: field.startColumn)
            let tail = AppdefsField(bytes: Array(field.bytes[(dash + 1)...]),
                                    columns: Array(field.columns[(dash + 1)...]),
                                    startColumn: field.column(at: dash + 1))
            let low = try number(head, what: expected)
            let high = try number(tail, what: expected)
            warnings.append(AppdefsLineWarning(
                column: field.column(at: dash),
                "length '\(field.text)' is read as exactly \(low), as amap does; write \(low),\(high) for a range"))
            return low...low
        }
        let exact = try number(field, what: expected)
        return exact...exact
    }

    /// Field 2 of a response line: `TRIGGER[,TRIGGER...]`, or empty for "any trigger".
    static func triggerList(_ field: AppdefsField, warnings: inout [AppdefsLineWarning]) -> [(String, Int)]? {
        guard !field.bytes.isEmpty else { return nil }
        var names: [(String, Int)] = []
        for part in field.splitAtCommas() {
            guard !part.bytes.isEmpty else {
                warnings.append(AppdefsLineWarning(column: part.startColumn,
                                                   "empty entry in the trigger list is ignored"))
                continue
            }
            names.append((part.text, part.column(at: 0)))
        }
        return names.isEmpty ? nil : names
    }

    /// A decimal number field of at most `maximumDigits` digits.
    static func number(_ field: AppdefsField, what expected: String) throws(AppdefsLineError) -> Int {
        guard !field.bytes.isEmpty else {
            throw AppdefsLineError(column: field.startColumn, "\(expected), found nothing")
        }
        if let bad = field.bytes.firstIndex(where: { !isDigit($0) }) {
            throw AppdefsLineError(column: field.column(at: bad), "\(expected), found '\(field.text)'")
        }
        guard field.bytes.count <= maximumDigits, let value = decimal(field.bytes[...]) else {
            throw AppdefsLineError(column: field.column(at: 0), "number '\(field.text)' is too large")
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Digits only, at most `maximumDigits` of them; nil otherwise.
    private static func decimal(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= maximumDigits, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
