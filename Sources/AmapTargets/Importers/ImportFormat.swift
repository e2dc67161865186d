/// The scanner output formats a target list can be imported from.
public enum ImportFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// nmap grepable output (`-oG`, formerly `-oM`): what amap's `-i` reads.
    case nmapGrepable = "nmap-grepable"
    /// nmap XML output (`-oX`).
    case nmapXML = "nmap-xml"
    /// masscan list output (`-oL`): `open tcp 80 ADDRESS TIMESTAMP`.
    case masscanList = "masscan-list"
    /// masscan JSON output (`-oJ`, a JSON array) or NDJSON (`-oD`, one object per line).
    case masscanJSON = "masscan-json"
    /// masscan XML output (`-oX`), nmap-shaped.
    case masscanXML = "masscan-xml"
    /// zmap CSV output: a header naming `saddr` (and optionally `sport`), then rows.
    case zmapCSV = "zmap-csv"
    /// amap's own JSON Lines (`-oJ`): its open endpoints, read back.
    case amapJSON = "amap-json"
    /// zmap JSON output (`-O json`): one object per line with `saddr` (and `sport`).
    case zmapJSON = "zmap-json"
    /// One target per line: `127.0.0.1:80`, `[::1]:22`, `localhost:53/udp`, or a bare host.
    case hostPortList = "host-port-list"

    /// The name used in messages (`nmap -oG`).
    public var description: String {
        switch self {
        case .nmapGrepable: return "nmap -oG"
        case .nmapXML: return "nmap -oX"
        case .masscanList: return "masscan -oL"
        case .masscanJSON: return "masscan -oJ"
        case .masscanXML: return "masscan -oX"
        case .zmapCSV: return "zmap CSV"
        case .amapJSON: return "amap -oJ"
        case .zmapJSON: return "zmap JSON"
        case .hostPortList: return "host:port list"
        }
    }
}
