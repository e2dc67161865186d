import AmapSignatures

/// Everything the user can tune about how the engine probes endpoints.
///
/// Durations are in milliseconds so that values from the command line (amap takes whole seconds) and from probe files
/// (nmap's `totalwaitms`) compose without conversions.
public struct ScanConfiguration: Sendable, Hashable {
    /// Map, banner or port-scan mode.
    public var mode: ScanMode
    /// amap `-c`: how many endpoints are probed at the same time. Each endpoint holds at most
    /// `perPortParallelism` connections at a time, so the open connections are at most `window × perPortParallelism`.
    public var window: Int
    /// amap `-T`: how long one connection attempt may take.
    public var connectTimeoutMilliseconds: Int
    /// amap `-C`: connection attempts in total (not retries) before a silent port is called filtered.
    public var connectAttempts: Int
    /// amap `-t`: the longest wait for an answer to a probe; a probe's own `totalWaitMilliseconds` is capped by it.
    public var responseTimeoutMilliseconds: Int
    /// The longest wait for a banner (the NULL probe, banner mode); the NULL probe's own wait is capped by it.
    public var bannerWaitMilliseconds: Int
    /// How long a TLS handshake may take before the TLS pass gives up on the port.
    public var tlsHandshakeTimeoutMilliseconds: Int
    /// The most bytes kept from one response (nmap reads at most 4,096 bytes per probe).
    public var responseByteCap: Int
    /// amap `-1`: send no further probes to a port once it has an identification.
    public var stopAtFirstIdentification: Bool
    /// amap semantics (true): keep probing and report every distinct identification.
    /// nmap semantics (false): a port is done at its first hard match.
    public var reportAllMatches: Bool
    /// Identify again inside TLS when a port speaks TLS (amap `-S` turns this off).
    public var tlsPass: Bool
    /// UDP: how many times a probe is sent again while no answer has come. None by default, as nmap -sV and amap
    /// 5.4 do: nmap 7.93 sent each of its 20 UDP version probes once to a silent loopback port (nmap retransmits
    /// only in its port scan, before version detection). Raise it for a lossy link.
    public var udpRetransmits: Int
    /// UDP: the pause between two sends of the same probe.
    public var udpRetransmitIntervalMilliseconds: Int
    /// Prefer IPv6 addresses when a host name resolves to both families (amap `-6`).
    public var preferIPv6: Bool
    /// How probe waits are chosen: fixed (the configured waits) or adaptive from each host's measured RTT.
    public var timing: TimingChoice
    /// How many probes one TCP port may have in flight at once, each on its own connection (1: one at a time).
    public var perPortParallelism: Int
    /// `--rate`: new connections (and UDP probes) per second for the whole scan; nil for no limit.
    public var connectionsPerSecond: Double?
    /// `--max-per-host`: endpoints of one host probed at the same time; nil for no limit beyond the window.
    public var maxEndpointsPerHost: Int?
    /// No new probe starts on a port after this long (milliseconds); nil: the timing profile's budget (none with
    /// fixed timing).
    public var portBudgetMilliseconds: Int?
    /// `--host-timeout`: no new probe starts on any port of a host this long after its first port began
    /// (milliseconds); nil for none.
    public var hostTimeoutMilliseconds: Int?
    /// Verdicts as `nmap -sV` gives them (set with nmap's database): an answer is named only by its probe's own
    /// lines, fallbacks and the NULL probe's (no cross-probe evidence), and an answer equal to the probe sent is
    /// `echo`. False: the built-in database's rules (cross-probe evidence as a marked last-resort soft hint, and
    /// echoes of our probes name nothing).
    public var nmapVerdicts = false
    /// amap's `-c N`: at most N connections (and UDP sockets) open at once in the whole scan, parallel probes of
    /// a port included; nil for no cap beyond the window's.
    public var connectionLimit: Int?
    /// amap's RPC pass (`-R` turns it off): a port named as ONC RPC gets a NULL call for every program of the
    /// database's RPC list, one at a time, and the first program that answers PROG_MISMATCH names the port.
    public var rpcPass = true
    /// How an RPC-pass hit is named: amap's `rpc-<name>-v<N>` with amap's own files, else the program's name.
    public var rpcNaming = ONCRPCAmapPass.Naming.program
    /// `--proxy`: every TCP connection goes through this SOCKS5 or HTTP CONNECT proxy; nil for direct connections.
    /// UDP cannot go through it: a UDP endpoint is not probed (and reported so) when a proxy is set.
    public var proxy: ProxyConfiguration?
    /// `--starttls`: after a TCP port is identified as a service with an in-band TLS upgrade (SMTP, IMAP, POP3, FTP,
    /// LDAP, XMPP, NNTP, PostgreSQL, MySQL), open one more connection, upgrade it and read the certificate.
    public var startTLS = false

    /// Creates a configuration. These defaults are the library's and the `amap` command's alike: amap 5.4's connect
    /// timeout and attempts, amap's 5 s response wait as a promise (``defaultResponseTimeoutMilliseconds``,
    /// ``defaultBannerWaitMilliseconds``), adaptive timing for later rounds on silent ports, and a window sized
    /// from the open-file limit.
    ///
    /// - Parameters:
    ///   - window: endpoints in flight; nil for ``automaticWindow(perPortParallelism:)``.
    ///   - perPortParallelism: probes in flight per port; nil for ``defaultPerPortParallelism(for:)`` of `timing`.
    ///   - reportAllMatches: amap's rule (every distinct identification) or nmap's (the first hard match); nmap's
    ///     by default, amap's when only amap's appdefs are loaded (`DatabaseChoice.usesAmapSemantics`).
    public init(
        mode: ScanMode = .map,
        window: Int? = nil,
        connectTimeoutMilliseconds: Int = ScanConfiguration.defaultConnectTimeoutMilliseconds,
        connectAttempts: Int = ScanConfiguration.defaultConnectAttempts,
        responseTimeoutMilliseconds: Int = ScanConfiguration.defaultResponseTimeoutMilliseconds,
        bannerWaitMilliseconds: Int = ScanConfiguration.defaultBannerWaitMilliseconds,
        tlsHandshakeTimeoutMilliseconds: Int = 5_000,
        responseByteCap: Int = ScanConfiguration.defaultResponseByteCap,
        stopAtFirstIdentification: Bool = false,
        reportAllMatches: Bool = false,
        tlsPass: Bool = true,
        udpRetransmits: Int = 0,
        udpRetransmitIntervalMilliseconds: Int = 1_000,
        preferIPv6: Bool = false,
        timing: TimingChoice = ScanConfiguration.defaultTiming,
        perPortParallelism: Int? = nil
    ) {
        self.mode = mode
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.connectAttempts = connectAttempts
        self.responseTimeoutMilliseconds = responseTimeoutMilliseconds
        self.bannerWaitMilliseconds = bannerWaitMilliseconds
        self.tlsHandshakeTimeoutMilliseconds = tlsHandshakeTimeoutMilliseconds
        self.responseByteCap = responseByteCap
        self.stopAtFirstIdentification = stopAtFirstIdentification
        self.reportAllMatches = reportAllMatches
        self.tlsPass = tlsPass
        self.udpRetransmits = udpRetransmits
        self.udpRetransmitIntervalMilliseconds = udpRetransmitIntervalMilliseconds
        self.preferIPv6 = preferIPv6
        self.timing = timing
        let perPortParallelism = perPortParallelism ?? Self.defaultPerPortParallelism(for: timing)
        self.perPortParallelism = perPortParallelism
        self.window = window ?? Self.automaticWindow(
            perPortParallelism: perPortParallelism,
            listeningFactor: timing == .fixed ? 1 : max(Self.listeningConnectionsFactor, Self.listeningSocketsFactor))
    }

    /// amap's connect timeout (`-T 5`).
    public static let defaultConnectTimeoutMilliseconds = 5_000
    /// amap's connection attempts (`-C 3`).
    public static let defaultConnectAttempts = 3
    /// The response wait (`-t`) when none is given: amap's 5 s. It is a promise: an answer within it, on a
    /// connection still held, is seen (the probe schedule shortens only later rounds on a port that said nothing).
    public static let defaultResponseTimeoutMilliseconds = 5_000
    /// The banner wait when `-t` is not given: the same promise (a greeter that speaks after 4.5 s is named).
    public static let defaultBannerWaitMilliseconds = 5_000
    /// Adaptive waits, with the profile chosen per host (`--timing auto`).
    public static let defaultTiming = TimingChoice.automatic
    /// nmap's per-probe read limit (service_scan.cc stops reading a response at 4,096 bytes).
    public static let defaultResponseByteCap = 4_096

    /// The probes in flight per port when none is given: one at a time with fixed waits (amap's behaviour),
    /// ``adaptivePerPortParallelism`` with adaptive ones.
    public static func defaultPerPortParallelism(for timing: TimingChoice) -> Int {
        timing == .fixed ? 1 : adaptivePerPortParallelism
    }

    /// The configuration with every value clamped into a range the engine can work with (at least one endpoint
    /// in flight, one attempt, a one-byte cap, no negative waits), and the modes' rules applied: banner and
    /// port-scan modes stop at the first answer and make no TLS pass; stopping at the first identification
    /// reports only that one.
    public var normalized: ScanConfiguration {
        var copy = self
        if mode != .map {
            copy.stopAtFirstIdentification = true
            copy.tlsPass = false
        }
        if copy.stopAtFirstIdentification { copy.reportAllMatches = false }
        copy.window = max(1, window)
        copy.connectTimeoutMilliseconds = max(1, connectTimeoutMilliseconds)
        copy.connectAttempts = max(1, connectAttempts)
        copy.responseTimeoutMilliseconds = max(1, responseTimeoutMilliseconds)
        copy.bannerWaitMilliseconds = max(0, bannerWaitMilliseconds)
        copy.tlsHandshakeTimeoutMilliseconds = max(1, tlsHandshakeTimeoutMilliseconds)
        copy.responseByteCap = max(1, responseByteCap)
        copy.udpRetransmits = max(0, udpRetransmits)
        copy.udpRetransmitIntervalMilliseconds = max(1, udpRetransmitIntervalMilliseconds)
        copy.perPortParallelism = max(1, min(perPortParallelism, Self.maximumPerPortParallelism))
        if let rate = connectionsPerSecond, !(rate > 0) { copy.connectionsPerSecond = nil }
        if let cap = maxEndpointsPerHost { copy.maxEndpointsPerHost = max(1, cap) }
        if let cap = connectionLimit {
            copy.connectionLimit = max(1, cap)
            copy.window = min(copy.window, max(1, cap))
        }
        if let budget = portBudgetMilliseconds { copy.portBudgetMilliseconds = max(1, budget) }
        if let budget = hostTimeoutMilliseconds { copy.hostTimeoutMilliseconds = max(1, budget) }
        return copy
    }

    /// The most probes one port may have in flight: more would look like a connection flood to the daemon.
    public static let maximumPerPortParallelism = 16
    /// The per-port parallelism of the adaptive presets, in connections (the listening NULL connection
    /// included): a silent port with nmap's 34 intensity-7 TCP probes then costs about 9 waits instead of 34.
    /// Not more: daemons cap connections per client address, and ngircd's default cap (MaxConnectionsIP) is 5;
    /// above it, it answers every probe with an error instead of its protocol.
    public static let adaptivePerPortParallelism = 5
    /// With adaptive timing, a port may have this many times `perPortParallelism` connections (or UDP sockets)
    /// open: probes past their adaptive wait keep listening until `-t` without holding one of the active slots.
    public static let listeningConnectionsFactor = 3
    /// Over UDP, the first round and the most sockets a port may hold, in multiples of `perPortParallelism`: a UDP
    /// probe holds no server state (no accept queue, no per-address connection cap), so a plan's likeliest probes
    /// (nmap's 19 intensity-7 UDP probes) all wait out `-t` side by side. krb5kdc and Kamailio with nmap's database
    /// (one answer, to a probe past the fifth): two waits of `-t` with a first round of 5, one with 25. The
    /// automatic window counts descriptors with this factor too, so a low open-file limit still holds them.
    public static let listeningSocketsFactor = 5
    /// File descriptors kept free for everything that is not a probe connection (stdio, output files, NIO's
    /// own selector and wake-up pipes).
    public static let reservedFileDescriptors: UInt64 = 64
    /// The largest automatic window in connections. Measured on the 2-core benchmark machine: 4,096 connections
    /// at once overran a single-process loopback farm (a quarter of its ports answered only after the adaptive
    /// waits) and took peak RSS to 370 MB; 1,024 and 1,536 kept every answer in time. 1,536 (307 endpoints at 5
    /// probes each) took the 2,000-port farm, whose 300 silent ports each hold a slot for `-t` plus the adaptive
    /// rounds, from 15.3 s to 13.0-13.5 s, at 115 MB of peak RSS.
    public static let maximumAutomaticConnections: UInt64 = 1_536

    /// The window (endpoints in flight) when the user gave none: `min(1536, open-file soft limit - 64)`
    /// connections, divided by the connections each endpoint may hold; and, when an endpoint may also keep
    /// listening connections (`listeningFactor` times its parallelism, adaptive timing), never more endpoints than
    /// the open-file limit has descriptors for. Reads the soft limit in force and never changes it (the `amap`
    /// command raises it first with ``OpenFileLimit/raiseSoftLimitToHardLimit()``).
    public static func automaticWindow(perPortParallelism: Int, listeningFactor: Int = 1) -> Int {
        let soft = OpenFileLimit.current()?.soft ?? 1_024
        return automaticWindow(openFileLimit: soft, perPortParallelism: perPortParallelism,
                               listeningFactor: listeningFactor)
    }

    /// The window for a given open-file limit (pure, for tests).
    public static func automaticWindow(openFileLimit: UInt64, perPortParallelism: Int, listeningFactor: Int = 1)
        -> Int
    {
        let usable = openFileLimit > reservedFileDescriptors ? openFileLimit - reservedFileDescriptors : 1
        let connections = min(maximumAutomaticConnections, usable)
        let byConnections = Int(connections) / max(1, perPortParallelism)
        let byDescriptors = Int(min(usable, UInt64(Int.max))) / max(1, perPortParallelism * max(1, listeningFactor))
        return max(1, min(byConnections, byDescriptors))
    }

    /// The timing profile for a host at `address`; nil for fixed waits. Through a proxy the path is this machine to
    /// the proxy to the host: `--timing auto` takes the LAN profile only when both the proxy and the host are
    /// local, and the waits then adapt to the RTT measured through the proxy.
    public func timingProfile(for address: String) -> TimingProfile? {
        guard let proxy, case .automatic = timing else { return timing.profile(for: address) }
        let proxyIsLocal = AddressScope.isLocal(proxy.host) || proxy.host.lowercased() == "localhost"
        return proxyIsLocal && AddressScope.isLocal(address) ? .lan : .internet
    }

    /// How long to wait for the answer to `probe`: its own wait, capped by the configured one.
    public func waitMilliseconds(for probe: Probe) -> Int {
        let cap = probe.isNull ? bannerWaitMilliseconds : responseTimeoutMilliseconds
        guard let own = probe.totalWaitMilliseconds else { return cap }
        return min(max(0, own), cap)
    }
}
