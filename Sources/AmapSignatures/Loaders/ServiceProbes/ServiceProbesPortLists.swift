import AmapModel

/// The two port-list syntaxes of nmap-service-probes: `ports`/`sslports` lists and the `Exclude` spec.
enum ServiceProbesPortLists {
    /// The ports an `Exclude` line names, per transport.
    struct Exclusions: Sendable, Hashable {
        var tcp = PortSet()
        var udp = PortSet()
        var warnings: [ServiceProbesLineError] = []
    }

    private static let listExample = "expected a port list such as \"21-25,53,80\""

    /// Parses a `ports`/`sslports` list (`21-25, 53,80`): numbers 0–65535 and `a-b` ranges, spaces allowed
    /// around tokens, as nmap's setPortVector accepts.
    static func probablePorts(_ scanner: inout ServiceProbesLineScanner) throws(ServiceProbesLineError) -> PortSet {
        var ports = PortSet()
        repeat {
            scanner.skipWhitespace()
            let start = try port(&scanner)
            scanner.skipWhitespace()
            var end = start
            if scanner.current == UInt8(ascii: "-") {
                scanner.index += 1
                let column = scanner.column
                end = try port(&scanner)
                guard end >= start else {
                    throw scanner.error("the range ends (\(end)) before it starts (\(start))", column: column)
                }
                scanner.skipWhitespace()
            }
            ports.insert(start...end)
            if scanner.current == UInt8(ascii: ",") {
                scanner.index += 1
            } else if !scanner.isAtEnd {
                throw scanner.error("unexpected '\(ServiceProbesLineScanner.shown([scanner.current ?? 0]))'; "
                    + listExample)
            }
        } while !scanner.isAtEnd
        return ports
    }

    /// Parses an `Exclude` spec with nmap `-p` syntax: comma-separated ports and ranges (`a-b`, `a-`, `-b`),
    /// optionally after `T:` (TCP) or `U:` (UDP), which hold until the next prefix. Unqualified ports apply to
    /// both TCP and UDP. `S:` (SCTP) and `P:` (IP protocol) items are skipped with a warning: amap scans neither.
    static func exclusions(_ scanner: inout ServiceProbesLineScanner) throws(ServiceProbesLineError) -> Exclusions {
        enum Target { case both, tcp, udp, ignored(String) }
        var result = Exclusions()
        var target = Target.both
        var warnedIgnored = false
        repeat {
            scanner.skipWhitespace()
            if let letter = scanner.current, scanner.index + 1 < scanner.bytes.count,
                scanner.bytes[scanner.index + 1] == UInt8(ascii: ":")
            {
                switch letter {
                case UInt8(ascii: "T"): target = .tcp
                case UInt8(ascii: "U"): target = .udp
                case UInt8(ascii: "S"): target = .ignored("SCTP")
                case UInt8(ascii: "P"): target = .ignored("IP protocol")
                default:
                    throw scanner.error("unknown protocol prefix '\(ServiceProbesLineScanner.shown([letter])):'; "
                        + "expected T:, U:, S: or P:")
                }
                scanner.index += 2
                scanner.skipWhitespace()
            }
            let column = scanner.column
            let start: UInt16
            if scanner.current == UInt8(ascii: "-") {
                start = 1
            } else {
                start = try port(&scanner)
            }
            var end = start
            if scanner.current == UInt8(ascii: "-") {
                scanner.index += 1
                end = (scanner.current.map(TemplateText.isDigit) ?? false) ? try port(&scanner) : UInt16.max
                guard end >= start else {
                    throw scanner.error("the range ends (\(end)) before it starts (\(start))", column: column)
                }
            }
            switch target {
            case .both:
                result.tcp.insert(start...end)
                result.udp.insert(start...end)
            case .tcp: result.tcp.insert(start...end)
            case .udp: result.udp.insert(start...end)
            case .ignored(let what):
                if !warnedIgnored {
                    result.warnings.append(scanner.error("\(what) exclusions are ignored: amap scans TCP and UDP only",
                                                         column: column))
                    warnedIgnored = true
                }
            }
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: ",") {
                scanner.index += 1
            } else if !scanner.isAtEnd {
                throw scanner.error("unexpected '\(ServiceProbesLineScanner.shown([scanner.current ?? 0]))'; "
                    + "expected a port spec such as \"T:9100-9107,U:161\"")
            }
        } while !scanner.isAtEnd
        return result
    }

    private static func port(_ scanner: inout ServiceProbesLineScanner) throws(ServiceProbesLineError) -> UInt16 {
        let column = scanner.column
        guard scanner.current.map(TemplateText.isDigit) ?? false else { throw scanner.error(listExample) }
        guard let value = scanner.decimal(maximumDigits: 6), value <= Int(UInt16.max) else {
            throw scanner.error("ports must be between 0 and 65535", column: column)
        }
        return UInt16(value)
    }
}
