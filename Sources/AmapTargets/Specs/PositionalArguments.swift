import AmapModel

/// Splits amap's positional `TARGET PORT [PORT...]` arguments into target groups.
///
/// The rule, extended for several targets the way nmap users expect:
/// 1. Each argument is classified by its shape alone: digits, `,`, `-` and `T:`/`U:` prefixes make a
///    port specification (``PortList/looksLikePortSpec(_:)``); anything else is a target
///    (address, range, CIDR block or host name, ``TargetSpec/parse(_:allowHuge:)``).
/// 2. The first argument must be a target.
/// 3. Consecutive targets form one group; the port arguments that follow them are that group's
///    ports (merged). A target after a port starts a new group. So `h1 h2 22 80 h3 443` scans
///    22 and 80 on h1 and h2, and 443 on h3.
/// 4. A group with no ports (trailing targets) gets `defaultPorts`, or is an error without them.
///
/// Unlike amap 5.4, an extra target is never read as a port: amap scans port 127 for
/// `amap h1 127.0.0.2 22` (it reads the leading number of `127.0.0.2`); here `127.0.0.2` is a
/// second target. Also unlike amap, `21,80` is two ports, not port 21.
public enum PositionalArguments {
    /// Splits and parses positional arguments (see the type's documentation).
    ///
    /// - Parameters:
    ///   - arguments: the positional arguments, in order.
    ///   - defaultTransport: the transport of ports without a `T:`/`U:` prefix (UDP under `-u`).
    ///   - defaultPorts: ports for a group given without any (for example from a `-p` option).
    ///   - allowHuge: accept target specifications of more than ``TargetSpec/hugeLimit`` addresses.
    public static func split(
        _ arguments: [String],
        defaultTransport: Transport = .tcp,
        defaultPorts: PortList? = nil,
        allowHuge: Bool = false
    ) throws(TargetSpecError) -> [TargetGroup] {
        var groups: [TargetGroup] = []
        var targets: [TargetSpec] = []
        var ports = PortList()
        var sawPorts = false

        func closeGroup() throws(TargetSpecError) {
            guard let first = targets.first else { return }
            if !sawPorts {
                guard let defaultPorts, !defaultPorts.isEmpty else {
                    if targets.count > 1, let last = targets.last {
                        throw .notTargetOrPort(token: last.text, target: first.text)
                    }
                    throw .missingPorts(target: first.text)
                }
                ports = defaultPorts
            }
            groups.append(TargetGroup(targets: targets, ports: ports))
            targets = []
            ports = PortList()
            sawPorts = false
        }

        for argument in arguments {
            if PortList.looksLikePortSpec(argument) {
                guard !targets.isEmpty else { throw .expectedTarget(token: argument) }
                ports.formUnion(try PortList.parse(argument, defaultTransport: defaultTransport))
                sawPorts = true
            } else {
                if sawPorts { try closeGroup() }
                targets.append(try TargetSpec.parse(argument, allowHuge: allowHuge))
            }
        }
        try closeGroup()
        return groups
    }
}
