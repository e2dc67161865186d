import AmapSignatures

/// Everything the user can tune about how the engine probes endpoints.
///
/// Durations are in milliseconds so that values from the command line (amap takes whole seconds) and from probe files
/// (nmap's `totalwaitms`) compose without conversions.
public struct ScanConfiguration: Sendable, Hashable {
    /// Map, banner or port-scan mode.
    public var mode: ScanMode
    /// amap `-c`: how many endpoints are probed at the same time. Each endpoint holds at most one connection at a
    /// time, so this also bounds the open connections.
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
    /// UDP: how many times a probe is sent again while no answer has come.
    public var udpRetransmits: Int
    /// UDP: the pause between two sends of the same probe.
    public var udpRetransmitIntervalMilliseconds: Int
    /// Prefer IPv6 addresses when a host name resolves to both families (amap `-6`).
    public var preferIPv6: Bool
    /// How probe waits are chosen: fixed (the configured waits) or adaptive from each host's measured RTT.
    public var timing: TimingChoice = .fixed
    /// How many probes one TCP port may have in flight at once, each on its own connection (1: one at a time).
    public var perPortParallelism: Int = 1
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

    /// Creates a configuration; every default is amap 5.4's, except the waits, which are nmap's or shorter.
    public init(
        mode: ScanMode = .map,
        window: Int = ScanConfiguration.defaultWindow,
        connectTimeoutMilliseconds: Int = 5_000,
        connectAttempts: Int = 3,
        responseTimeoutMilliseconds: Int = 5_000,
        bannerWaitMilliseconds: Int = 5_000,
        tlsHandshakeTimeoutMilliseconds: Int = 5_000,
        responseByteCap: Int = ScanConfiguration.defaultResponseByteCap,
        stopAtFirstIdentification: Bool = false,
        reportAllMatches: Bool = true,
        tlsPass: Bool = true,
        udpRetransmits: Int = 1,
        udpRetransmitIntervalMilliseconds: Int = 1_000,
        preferIPv6: Bool = false
    ) {
        self.mode = mode
        self.window = window
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
    }

    /// amap's default number of parallel connection slots (`-c 32`).
    public static let defaultWindow = 32
    /// nmap's per-probe read limit (service_scan.cc stops reading a response at 4,096 bytes).
    public static let defaultResponseByteCap = 4_096

    /// The configuration with every value clamped into a range the engine can work with (at least one endpoint
    /// in flight, one attempt, a one-byte cap, no negative waits).
    public var normalized: ScanConfiguration {
        var copy = self
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
    /// File descriptors kept free for everything that is not a probe connection (stdio, output files, NIO's
    /// own selector and wake-up pipes).
    public static let reservedFileDescriptors: UInt64 = 64
    /// The largest automatic window in connections. Measured on the 2-core benchmark machine: 4,096 connections
    /// at once overran a single-process loopback farm (a quarter of its ports answered only after the adaptive
    /// waits) and took peak RSS to 370 MB; 1,024 kept every answer in time.
    public static let maximumAutomaticConnections: UInt64 = 1_024

    /// The window (endpoints in flight) when the user gave none: `min(1024, open-file soft limit - 64)`
    /// connections, divided by the connections each endpoint may hold. Raises the soft limit to the hard limit
    /// first, as the scan itself does.
    public static func automaticWindow(perPortParallelism: Int) -> Int {
        let soft = OpenFileLimit.raiseSoftLimitToHardLimit()?.soft ?? 1_024
        return automaticWindow(openFileLimit: soft, perPortParallelism: perPortParallelism)
    }

    /// The window for a given open-file limit (pure, for tests).
    public static func automaticWindow(openFileLimit: UInt64, perPortParallelism: Int) -> Int {
        let usable = openFileLimit > reservedFileDescriptors ? openFileLimit - reservedFileDescriptors : 1
        let connections = min(maximumAutomaticConnections, usable)
        return max(1, Int(connections) / max(1, perPortParallelism))
    }

    /// How long to wait for the answer to `probe`: its own wait, capped by the configured one.
    public func waitMilliseconds(for probe: Probe) -> Int {
        let cap = probe.isNull ? bannerWaitMilliseconds : responseTimeoutMilliseconds
        guard let own = probe.totalWaitMilliseconds else { return cap }
        return min(max(0, own), cap)
    }
}
