import AmapModel
import Foundation

/// Reads masscan JSON output.
///
/// Accepted shapes:
/// - `-oJ`: a JSON array of `{"ip": "...", "timestamp": "...", "ports": [{"port": 80,
///   "proto": "tcp", "status": "open", "reason": "syn-ack", "ttl": 64}]}` objects. masscan writes
///   one object per line with `,` separators; older versions leave a trailing comma before `]` or
///   end with a non-JSON `{finished: 1}` line, which are tolerated.
/// - `-oD` (NDJSON): one object per line with top-level `port`, `proto` and the status either
///   top-level or in `data.status`.
/// Only `open` ports on `tcp`/`udp` are used; banner records (no status) are skipped.
///
/// Lines are tried one object at a time first (so errors carry line numbers); a pretty-printed
/// document that spreads objects over several lines is then read as a whole.
public enum MasscanJSONImporter {
    /// Parses JSON output.
    public static func parse(
        _ text: String,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        var collector = ImportCollector(format: .masscanJSON, options: options)
        var records: [(line: Int, object: [String: Any])] = []
        var lineError: ImportError?
        for (number, line) in ImportCollector.numberedLines(text) {
            var item = line.trimmingSpaces()
            while item.first == "," || item.first == "[" { item = item.dropFirst().trimmingSpaces() }
            while item.last == "," || item.last == "]" { item = item.dropLast().trimmingSpaces() }
            guard !item.isEmpty, !item.hasPrefix("{finished") else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(item.utf8)) as? [String: Any] else {
                lineError = .malformed(format: .masscanJSON, line: number, reason: "not a JSON object on one line")
                break
            }
            records.append((number, object))
        }
        if let lineError {
            records = try wholeDocument(text, fallbackError: lineError)
        }
        for (number, object) in records {
            try add(object, line: number, to: &collector)
        }
        return collector.endpoints
    }

    /// Reads a document spread over lines: the array (trailing commas before `]` removed).
    private static func wholeDocument(
        _ text: String,
        fallbackError: ImportError
    ) throws(ImportError) -> [(line: Int, object: [String: Any])] {
        let cleaned = text.replacingOccurrences(of: #",\s*\]"#, with: "]", options: .regularExpression)
        guard let array = try? JSONSerialization.jsonObject(with: Data(cleaned.utf8)) as? [Any] else {
            throw fallbackError
        }
        var records: [(line: Int, object: [String: Any])] = []
        for (offset, element) in array.enumerated() {
            // The document has no per-object line numbers; the record's position stands in.
            guard let object = element as? [String: Any] else {
                throw .malformed(format: .masscanJSON, line: offset + 1, reason: "array element is not an object")
            }
            records.append((offset + 1, object))
        }
        return records
    }

    private static func add(
        _ object: [String: Any],
        line: Int,
        to collector: inout ImportCollector
    ) throws(ImportError) {
        if object["finished"] != nil && object["ip"] == nil { return }
        guard let ipText = object["ip"] as? String else {
            throw .malformed(format: .masscanJSON, line: line, reason: "record without an \"ip\" string")
        }
        let host = try collector.host(ipText[...], line: line)
        let entries: [[String: Any]]
        if let ports = object["ports"] as? [[String: Any]] {
            entries = ports
        } else if object["port"] != nil {
            var entry = object
            if entry["status"] == nil, let data = object["data"] as? [String: Any] { entry["status"] = data["status"] }
            entries = [entry]
        } else {
            throw .malformed(format: .masscanJSON, line: line, reason: "record without \"ports\" or \"port\"")
        }
        for entry in entries {
            guard entry["status"] as? String == "open",
                let proto = entry["proto"] as? String, let transport = Transport(rawValue: proto)
            else { continue }
            let portText: String
            if let number = entry["port"] as? Int {
                portText = String(number)
            } else if let text = entry["port"] as? String {
                portText = text
            } else {
                throw .invalidPort(format: .masscanJSON, line: line, port: String(describing: entry["port"] ?? "none"))
            }
            let port = try collector.port(portText[...], line: line)
            try collector.add(host: host, port: port, transport: transport, line: line)
        }
    }
}
