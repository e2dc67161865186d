/// Parser for `PREFIX.rpc`: `NAME:::0:PROGRAM_NUMBER`, read by amap with its trigger-file parser.
enum AppdefsRPCParser {
    /// The program entries, in file order.
    static func parse(bytes: [UInt8], fileName: String) -> (programs: [RPCProgram], diagnostics: [LoadDiagnostic]) {
        var programs: [RPCProgram] = []
        let diagnostics = AppdefsFileParser.forEachRecord(in: bytes, fileName: fileName) {
            (record, location, warnings) throws(AppdefsLineError) in
            let name = try record.name(kind: "RPC program")
            for (index, label) in [(1, "port"), (2, "protocol")] where !record.fields[index].bytes.isEmpty {
                warnings.append(AppdefsLineWarning(column: record.fields[index].column(at: 0),
                                                   "the \(label) field of an RPC entry is ignored; leave it empty"))
            }
            if try AppdefsFieldParsers.harmful(record.fields[3]) {
                warnings.append(AppdefsLineWarning(column: record.fields[3].column(at: 0),
                                                   "the harmful flag of an RPC entry is ignored; write 0"))
            }
            let number = try programNumber(record.rest, column: record.restColumn)
            programs.append(RPCProgram(name: name, number: number, location: location))
        }
        return (programs, diagnostics)
    }

    /// Field 5: a decimal program number 0…4294967295, spaces and tabs around it allowed.
    private static func programNumber(_ rest: ArraySlice<UInt8>, column: Int) throws(AppdefsLineError) -> UInt32 {
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = rest.firstIndex(where: { !isBlank($0) }), let last = rest.lastIndex(where: { !isBlank($0) })
        else {
            throw AppdefsLineError(column: column, "expected a decimal RPC program number in field 5, found nothing")
        }
        let digits = rest[first...last]
        let startColumn = column + first - rest.startIndex
        if let bad = digits.firstIndex(where: { $0 < UInt8(ascii: "0") || $0 > UInt8(ascii: "9") }) {
            throw AppdefsLineError(column: column + bad - rest.startIndex,
                                   "expected a decimal RPC program number in field 5, found '"
                                       + String(decoding: digits, as: UTF8.self) + "'")
        }
        var value: UInt64 = 0
        for digit in digits {
            value = value * 10 + UInt64(digit - UInt8(ascii: "0"))
            guard value <= UInt64(UInt32.max) else {
                throw AppdefsLineError(column: startColumn, "RPC program number is larger than 4294967295")
            }
        }
        return UInt32(value)
    }
}
