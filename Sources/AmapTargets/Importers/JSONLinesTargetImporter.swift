import AmapModel
import Foundation

/// Reads the JSON Lines that amap (`-oJ`) and zmap (`-O json`) write: one object per line.
///
/// - amap: records with `schema_version`, `address`, `port`, `proto`, `state`; the `open` ones are read back, so a
///   scan of amap's own output visits the same endpoints (by `address`, the address amap connected to). A
///   `"type":"run"` record (the run record, if concatenated) is skipped.
/// - zmap: objects with `saddr` and, if the output fields name it, `sport` (the reply's source port: the scanned
///   port); rows zmap marks unsuccessful (`success` 0/false) or as a reset or ICMP (`classification`) are skipped,
///   like zmap's CSV. Without `sport` each host gets the default ports.
public enum JSONLinesTargetImporter {
    /// Parses amap's or zmap's JSON Lines; `format` is ``ImportFormat/amapJSON`` or ``ImportFormat/zmapJSON``.
    public static func parse(
        _ text: String,
        format: ImportFormat,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        var collector = ImportCollector(format: format, options: options)
        for (number, line) in ImportCollector.numberedLines(text) {
            let item = line.trimmingSpaces()
            guard !item.isEmpty else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(item.utf8)) as? [String: Any] else {
                throw .malformed(format: format, line: number, reason: "not a JSON object on one line")
            }
            if format == .amapJSON {
                try addAmap(object, line: number, to: &collector)
            } else {
                try addZmap(object, line: number, to: &collector)
            }
        }
        return collector.endpoints
    }

    private static func addAmap(_ object: [String: Any], line: Int, to collector: inout ImportCollector)
        throws(ImportError)
    {
        if object["type"] as? String == "run" { return }
        guard let address = (object["address"] ?? object["host"]) as? String,
            let port = object["port"] as? Int, let proto = object["proto"] as? String,
            let state = object["state"] as? String
        else {
            throw .malformed(format: .amapJSON, line: line, reason: "record without address, port, proto and state")
        }
        guard state == "open", let transport = Transport(rawValue: proto) else { return }
        let host = try collector.host(address[...], line: line)
        try collector.add(host: host, port: try collector.port(String(port)[...], line: line),
                          transport: transport, line: line)
    }

    private static func addZmap(_ object: [String: Any], line: Int, to collector: inout ImportCollector)
        throws(ImportError)
    {
        guard let address = object["saddr"] as? String else {
            throw .malformed(format: .zmapJSON, line: line, reason: "record without a \"saddr\" string")
        }
        if let success = object["success"], ["0", "false"].contains("\(success)".lowercased()) { return }
        if let success = object["success"] as? Bool, !success { return }
        let classification = (object["classification"] as? String ?? "").lowercased()
        if classification == "rst" || classification.hasPrefix("icmp") { return }
        let host = try collector.host(address[...], line: line)
        let transport: Transport = classification == "udp" ? .udp : collector.options.defaultTransport
        if let port = object["sport"] {
            try collector.add(host: host, port: try collector.port("\(port)"[...], line: line), transport: transport,
                              line: line)
        } else {
            try collector.add(host: host, ports: nil, line: line)
        }
    }
}
