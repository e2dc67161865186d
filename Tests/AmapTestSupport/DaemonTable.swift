import Foundation

/// One row of `scripts/daemon-ports.tsv`: a port the daemons of `scripts/daemons.sh` serve (or keep closed).
public struct DaemonRow: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let address: String
    public let port: Int
    public let proto: String
    /// nmap's service name, `ssl/` prefix for TLS-wrapped; empty for the silent and closed rows.
    public let service: String
    /// nmap's product; `;` separates products either of which is right (snmpd answers as both); empty: none named.
    public let product: String
    /// `open`, `silent` or `closed`.
    public let state: String
    public let unit: String
    /// What nmap 7.93 `-sV` reported (`unknown` where it could not tell).
    public let nmapService: String

    /// The service without the `ssl/` tunnel prefix.
    public var bareService: String { service.hasPrefix("ssl/") ? String(service.dropFirst(4)) : service }
    /// Whether the service is expected inside TLS.
    public var isTLS: Bool { service.hasPrefix("ssl/") }
    /// The products either of which is right.
    public var products: [String] {
        product.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    public var isIPv6: Bool { address.contains(":") }
    /// `127.0.0.1:22/tcp` or `[::1]:22/tcp`, as amap prints an endpoint.
    public var amapEndpoint: String { "\(isIPv6 ? "[\(address)]" : address):\(port)/\(proto)" }

    public var description: String { "\(name) (\(amapEndpoint))" }
}

/// The port table the daemons serve.
public enum DaemonTable {
    /// `scripts/daemon-ports.tsv`, or `$AMAP_DAEMON_TABLE` (used to check the gate against a table with a row that
    /// nothing serves).
    public static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["AMAP_DAEMON_TABLE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return PackageRoot.url.appendingPathComponent("scripts/daemon-ports.tsv")
    }()

    /// Every row, in file order. An unreadable table is an empty table (the availability check then names it).
    public static let rows: [DaemonRow] = {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return parse(text)
    }()

    public static func parse(_ text: String) -> [DaemonRow] {
        var rows: [DaemonRow] = []
        for (index, line) in text.split(separator: "\n").enumerated() where index > 0 && !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 10, let port = Int(fields[2]) else { continue }
            rows.append(DaemonRow(
                name: fields[0], address: fields[1], port: port, proto: fields[3], service: fields[4],
                product: fields[5], state: fields[6], unit: fields[7], nmapService: fields[9]
            ))
        }
        return rows
    }

    public static func row(_ name: String) -> DaemonRow? { rows.first { $0.name == name } }

    /// Rows on one address and transport.
    public static func rows(address: String, proto: String) -> [DaemonRow] {
        rows.filter { $0.address == address && $0.proto == proto }
    }

    /// The ports of `rows`, ascending, without duplicates, as command-line arguments.
    public static func portArguments(_ rows: [DaemonRow]) -> [String] {
        Array(Set(rows.map(\.port))).sorted().map(String.init)
    }
}
