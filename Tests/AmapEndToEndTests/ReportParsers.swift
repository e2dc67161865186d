import Foundation

/// One `Protocol on IP:PORT/PROTO[ over SSL] [(by trigger X) ]matches ID[ (detail)][ - banner: …]` line.
struct HumanMatchLine: Sendable, Equatable {
    let endpoint: String
    let overSSL: Bool
    let service: String
    /// The parenthesised version part (`OpenSSH 9.2p1; protocol 2.0`), nil when there is none.
    let detail: String?
    let index: Int

    /// Parses amap's human `Protocol on` lines out of a whole output.
    static func parse(_ text: String) -> [HumanMatchLine] {
        var found: [HumanMatchLine] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            guard line.hasPrefix("Protocol on ") else { continue }
            line = line.dropFirst("Protocol on ".count)
            if let banner = line.range(of: " - banner: ") { line = line[..<banner.lowerBound] }
            guard let space = line.firstIndex(of: " ") else { continue }
            let endpoint = String(line[..<space])
            var rest = line[space...].drop { $0 == " " }
            let overSSL = rest.hasPrefix("over SSL ")
            if overSSL { rest = rest.dropFirst("over SSL ".count).drop { $0 == " " } }
            if rest.hasPrefix("(by trigger "), let close = rest.firstIndex(of: ")") {
                rest = rest[rest.index(after: close)...].drop { $0 == " " }
            }
            guard rest.hasPrefix("matches ") else { continue }
            rest = rest.dropFirst("matches ".count)
            let service = String(rest.prefix { $0 != " " })
            let tail = rest.dropFirst(service.count).drop { $0 == " " }
            var detail: String?
            if tail.hasPrefix("("), tail.hasSuffix(")") { detail = String(tail.dropFirst().dropLast()) }
            found.append(HumanMatchLine(endpoint: endpoint, overSSL: overSSL, service: service, detail: detail,
                                        index: index))
        }
        return found
    }

    /// The endpoints of the `Unidentified ports: A B (total N).` line; nil when the line is absent.
    static func unidentified(_ text: String) -> [String]? {
        for line in text.split(separator: "\n") where line.hasPrefix("Unidentified ports:") {
            var rest = line.dropFirst("Unidentified ports:".count)
            if let total = rest.range(of: " (total") { rest = rest[..<total.lowerBound] }
            if rest.trimmingCharacters(in: .whitespaces) == "none." { return [] }
            return rest.split(separator: " ").map(String.init)
        }
        return nil
    }
}

/// One record of amap's `-m` machine log:
/// `IP:PORT:PROTO:STATUS:SSL:ID:PRINTABLE_BANNER:FULL_BANNER`, IPv6 written `[::1]`, the last field may hold colons.
struct MachineLine: Sendable, Equatable {
    let address: String
    let port: Int
    let proto: String
    let status: String
    let ssl: String
    let identification: String
    let printableBanner: String
    let fullBanner: String

    /// Parses one record line; nil for comments (`#`), blank lines and lines without 8 fields.
    static func parse(_ line: String) -> MachineLine? {
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        var rest = Substring(line)
        let address: String
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            address = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            rest = rest.dropFirst()
        } else {
            guard let colon = rest.firstIndex(of: ":") else { return nil }
            address = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        let fields = rest.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 7, let port = Int(fields[0]) else { return nil }
        return MachineLine(
            address: address, port: port, proto: fields[1], status: fields[2], ssl: fields[3],
            identification: fields[4], printableBanner: fields[5], fullBanner: fields[6]
        )
    }

    /// Every record of a machine log, with the lines that are neither records nor comments.
    static func parseLog(_ text: String) -> (records: [MachineLine], malformed: [String]) {
        var records: [MachineLine] = []
        var malformed: [String] = []
        for line in text.split(separator: "\n").map(String.init) {
            if let record = parse(line) {
                records.append(record)
            } else if !line.hasPrefix("#") {
                malformed.append(line)
            }
        }
        return (records, malformed)
    }
}

/// One JSON Lines record, decoded loosely (the schema test checks the shape; these tests read the values).
struct JSONRecord {
    let object: [String: Any]
    let line: String

    var address: String? { object["address"] as? String }
    var port: Int? { (object["port"] as? NSNumber)?.intValue }
    var proto: String? { object["proto"] as? String }
    var state: String? { object["state"] as? String }
    var service: String? { object["service"] as? String }
    var tunnel: String? { object["tunnel"] as? String }
    var product: String? { object["product"] as? String }
    var identifications: [[String: Any]] { object["identifications"] as? [[String: Any]] ?? [] }

    /// Decodes every non-empty line; lines that are not JSON objects come back in `invalid`.
    static func parse(_ text: String) -> (records: [JSONRecord], invalid: [String]) {
        var records: [JSONRecord] = []
        var invalid: [String] = []
        for line in text.split(separator: "\n").map(String.init) where !line.isEmpty {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                records.append(JSONRecord(object: object, line: line))
            } else {
                invalid.append(line)
            }
        }
        return (records, invalid)
    }
}
