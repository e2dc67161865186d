import AmapModel
import Foundation

/// Pieces shared by the amap line formats.
enum AmapText {
    /// `127.0.0.1:22/tcp`, `[::1]:22/tcp` (brackets the right way round, unlike amap's log).
    static func endpoint(_ endpoint: Endpoint) -> String {
        "\(address(endpoint)):\(endpoint.port)/\(endpoint.transport)"
    }

    /// `127.0.0.1:22:tcp`, `[::1]:22:tcp`: the first three `-m` fields.
    static func machineEndpoint(_ endpoint: Endpoint) -> String {
        "\(address(endpoint)):\(endpoint.port):\(endpoint.transport)"
    }

    /// The numeric address, bracketed when IPv6, escaped in case a resolver handed back something odd.
    static func address(_ endpoint: Endpoint) -> String {
        let text = TerminalEscaping.escape(endpoint.address)
        return endpoint.isIPv6 ? "[\(text)]" : text
    }

    /// amap's SSLTXT: ` over SSL ` for matches made inside TLS, else one space.
    static func sslText(_ overTLS: Bool) -> String {
        overTLS ? " over SSL " : " "
    }

    /// `(by trigger NAME)`.
    static func trigger(_ probe: String) -> String {
        "(by trigger \(TerminalEscaping.escape(probe)))"
    }

    /// ` (OpenSSH 9.2p1 Debian 2; protocol 2.0)`, or empty when there is no product, version or info.
    ///
    /// Product and version are joined by a space, info follows after `; `. The text is escaped for
    /// the terminal, and a ` - banner: ` inside it loses its colon (`\x3a`) so that splitting the line
    /// on the first ` - banner: ` still finds the real banner.
    static func versionDetail(_ info: VersionInfo) -> String {
        let head = [info.product, info.version].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let parts = [head, info.info ?? ""].filter { !$0.isEmpty }
        guard !parts.isEmpty else { return "" }
        let text = TerminalEscaping.escape(parts.joined(separator: "; "))
            .replacingOccurrences(of: " - banner: ", with: " - banner\\x3a ")
        return " (\(text))"
    }
}
