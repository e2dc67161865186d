import AmapModel

/// One of the first four fields of an appdefs record, normalised as amap does: ASCII letters lowercased and
/// spaces and tabs deleted. Each kept byte remembers its column in the raw line so diagnostics point at it.
struct AppdefsField {
    /// The normalised bytes.
    var bytes: [UInt8]
    /// `columns[i]` is the 1-based raw column of `bytes[i]`.
    var columns: [Int]
    /// The raw column where the field starts (used when the field is empty).
    var startColumn: Int

    /// The raw column of normalised byte `index`; the column after the field for an index past its end.
    func column(at index: Int) -> Int {
        if index < columns.count { return columns[index] }
        return (columns.last.map { $0 + 1 }) ?? startColumn
    }

    /// The normalised text (ASCII after validation by the caller; lossy otherwise).
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Splits the field at commas into sub-fields, keeping columns.
    func splitAtCommas() -> [AppdefsField] {
        var parts: [AppdefsField] = []
        var current = AppdefsField(bytes: [], columns: [], startColumn: startColumn)
        for (byte, column) in zip(bytes, columns) {
            if byte == UInt8(ascii: ",") {
                parts.append(current)
                current = AppdefsField(bytes: [], columns: [], startColumn: column + 1)
            } else {
                current.bytes.append(byte)
                current.columns.append(column)
            }
        }
        parts.append(current)
        return parts
    }
}

/// A record line split into amap's five fields: four normalised ones and the raw rest of the line.
struct AppdefsRecord {
    /// The number of colon-separated fields every record has.
    static let fieldCount = 5
    /// amap stores names in a 32-character buffer.
    static let maximumNameLength = 32

    /// Fields 1 to 4, normalised.
    var fields: [AppdefsField]
    /// Field 5: everything after the fourth colon, untouched (it may contain colons).
    var rest: ArraySlice<UInt8>
    /// The raw column where field 5 starts.
    var restColumn: Int

    /// Splits `line`; nil for a line without any colon (amap skips those: they are not records).
    static func split(_ line: AppdefsLine) throws(AppdefsLineError) -> AppdefsRecord? {
        let bytes = line.bytes
        guard bytes.contains(UInt8(ascii: ":")) else { return nil }
        if let nul = bytes.firstIndex(of: 0) {
            // amap measures lines with strlen, so it would silently cut the line here.
            throw AppdefsLineError(column: nul - bytes.startIndex + 1,
                                   "NUL byte in the line; a line must be text (write binary as \\xHH or 0x...)")
        }
        var fields: [AppdefsField] = []
        var current = AppdefsField(bytes: [], columns: [], startColumn: 1)
        var index = bytes.startIndex
        while index < bytes.endIndex, fields.count < fieldCount - 1 {
            let byte = bytes[index]
            let column = index - bytes.startIndex + 1
            if byte == UInt8(ascii: ":") {
                fields.append(current)
                current = AppdefsField(bytes: [], columns: [], startColumn: column + 1)
            } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
                current.bytes.append(asciiLowercased(byte))
                current.columns.append(column)
            }
            index += 1
        }
        guard fields.count == fieldCount - 1 else {
            throw AppdefsLineError(
                column: bytes.count + 1,
                "expected \(fieldCount) fields separated by ':' but the line has only \(fields.count + 1)")
        }
        return AppdefsRecord(fields: fields, rest: bytes[index...], restColumn: index - bytes.startIndex + 1)
    }

    /// Field 1 checked as a name: present, at most 32 characters, printable ASCII.
    func name(kind: String) throws(AppdefsLineError) -> String {
        let field = fields[0]
        guard !field.bytes.isEmpty else {
            throw AppdefsLineError(column: field.startColumn, "missing \(kind) name before the first ':'")
        }
        guard field.bytes.count <= Self.maximumNameLength else {
            throw AppdefsLineError(
                column: field.column(at: Self.maximumNameLength),
                "\(kind) name is \(field.bytes.count) characters long; at most \(Self.maximumNameLength) allowed")
        }
        if let bad = field.bytes.firstIndex(where: { $0 < 0x21 || $0 > 0x7E }) {
            throw AppdefsLineError(column: field.column(at: bad),
                                   "\(kind) name may hold printable ASCII characters only")
        }
        return field.text
    }

    /// Field 3: amap looks at the first character only: `t` tcp, `u` udp, `b` or nothing both.
    func transports() throws(AppdefsLineError) -> (Set<Transport>, AppdefsLineWarning?) {
        let field = fields[2]
        guard let first = field.bytes.first else { return ([.tcp, .udp], nil) }
        let set: Set<Transport>
        switch first {
        case UInt8(ascii: "t"): set = [.tcp]
        case UInt8(ascii: "u"): set = [.udp]
        case UInt8(ascii: "b"): set = [.tcp, .udp]
        default:
            throw AppdefsLineError(column: field.column(at: 0),
                                   "expected a protocol of tcp, udp, both or nothing, found '\(field.text)'")
        }
        let canonical = ["t", "tcp", "u", "udp", "b", "both"]
        guard canonical.contains(field.text) else {
            let spelled = set.count == 2 ? "both" : (set.contains(.tcp) ? "tcp" : "udp")
            return (set, AppdefsLineWarning(column: field.column(at: 0),
                                            "protocol '\(field.text)' is read as '\(spelled)' (first letter only)"))
        }
        return (set, nil)
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte + 32 : byte
    }
}
