import AmapKit
import ArgumentParser

/// amap 5.4's options (getopt string `146SRHUbuvdhmi:T:c:C:p:o:D:t:qABPW`) and our long options.
struct ScanOptions: ParsableArguments {
    // MARK: Modes
    @Flag(name: .customShort("A"), help: "Map applications (the default mode).")
    var mapMode = false
    @Flag(name: .customShort("B"), help: "Just grab banners: connect, send nothing, print what arrives.")
    var bannerMode = false
    @Flag(name: .customShort("P"), help: "Port-scan only: report ports that accept a connection.")
    var portScanMode = false
    @Flag(name: .customShort("W"), help: ArgumentHelp("Web update (removed in amap 5.4 too).", visibility: .hidden))
    var webUpdate = false

    // MARK: amap flags
    @Flag(name: .customShort("1"), help: "Stop probing a port at its first identification.")
    var stopAtFirst = false
    @Flag(name: .customShort("4"), help: "Use IPv4 (default unless a target is IPv6).")
    var ipv4 = false
    @Flag(name: .customShort("6"), help: "Resolve host names to IPv6 addresses only (a name without one is an error).")
    var ipv6 = false
    @Flag(name: .customShort("b"), help: "Print the ASCII banner with each identification.")
    var printBanner = false
    @Option(name: .customShort("i"), help: ArgumentHelp("Read targets from FILE (nmap, masscan, zmap or amap output, host:port lines; - for stdin).", valueName: "FILE"),
        completion: .file())
    var inputFile: String?
    @Flag(name: .customShort("u"), help: "Ports given on the command line are UDP.")
    var udp = false
    @Flag(name: .customShort("R"), help: "Skip the RPC pass.")
    var noRPC = false
    @Flag(name: .customShort("S"), help: "Skip the SSL pass (no identification inside TLS).")
    var noSSL = false
    @Flag(name: .customShort("H"), help: "Do not send triggers marked harmful.")
    var skipHarmful = false
    @Flag(name: .customShort("U"), help: "Do not dump unrecognised responses.")
    var noUnrecognizedDump = false
    @Flag(name: .customShort("d"), help: "Hex-dump every response, identified ones too.")
    var dumpAll = false
    @Flag(name: .customShort("v"), help: "Verbose (repeat for more).")
    var verbosity: Int
    @Flag(name: .customShort("q"), help: "Do not report unidentified ports.")
    var quiet = false
    @Option(
        name: .customShort("o"),
        help: ArgumentHelp(
            "Also write the report to FILE (an existing FILE becomes FILE.old; - for standard output).",
            valueName: "FILE"), completion: .file())
    var outputFile: String?
    @Flag(name: .customShort("m"), help: "Make the -o FILE log machine-readable (colon-separated).")
    var machineReadable = false
    @Option(name: .customShort("D"), help: ArgumentHelp("Read amap signatures from PREFIX.trig, PREFIX.resp, PREFIX.rpc.", valueName: "PREFIX"),
        completion: .file())
    var definitionsPrefix: String?
    @Option(name: .customShort("p"), help: ArgumentHelp("Send only triggers of this name.", valueName: "NAME"))
    var onlyTrigger: String?
    @Option(name: .customShort("c"), help: ArgumentHelp(
        "At most N connections open at once, parallel probes of a port included (without -c: a window sized from "
            + "the open-file limit).", valueName: "N"))
    var connections: Int?
    @Option(name: .customShort("C"), help: ArgumentHelp(
        "Connect attempts in total on timeout (default \(ScanConfiguration.defaultConnectAttempts)).", valueName: "N"))
    var connectAttempts: Int?
    @Option(name: .customShort("T"), help: ArgumentHelp(
        "Connect timeout in seconds (default \(ScanConfiguration.defaultConnectTimeoutMilliseconds / 1_000)).",
        valueName: "SEC"))
    var connectTimeout: Int?
    @Option(name: .customShort("t"), help: ArgumentHelp(
        "Response timeout in seconds (default \(ScanConfiguration.defaultResponseTimeoutMilliseconds / 1_000)): an answer within it is seen.",
        valueName: "SEC"))
    var responseTimeout: Int?

    // MARK: Our long options
    @Option(name: .customLong("nmap-db"), help: ArgumentHelp("Use this nmap-service-probes file (repeatable).", valueName: "FILE"),
        completion: .file())
    var nmapDatabases: [String] = []
    @Flag(name: .customLong("nmap"), help: "Use nmap's installed nmap-service-probes.")
    var useInstalledNmap = false
    @Flag(name: .customLong("builtin"), help: "Keep the built-in database when --nmap, --nmap-db or -D is given.")
    var keepBuiltin = false
    @Option(name: .customLong("version-intensity"), help: ArgumentHelp(
        "nmap version intensity 0-9 (default \(ProbeSelection.defaultIntensity)).", valueName: "N"))
    var versionIntensity: Int?
    @Option(name: .customLong("names"), help: ArgumentHelp(
        "Service names in amap's human and -m lines: nmap's (domain, postgresql) or amap 5.4's IDs (dns, postgres). "
            + "JSON, XML and grepable output always use nmap's.", valueName: "nmap|amap"))
    var names: NameStyle = .nmap
    @Flag(name: .customLong("json"), help: "Write JSON Lines on stdout instead of amap's lines.")
    var json = false
    @Option(
        name: [.customLong("oJ", withSingleDash: true), .customLong("output-json")],
        help: ArgumentHelp("Write JSON Lines to FILE (- for standard output).", valueName: "FILE"), completion: .file())
    var jsonFile: String?
    @Option(
        name: [.customLong("oX", withSingleDash: true), .customLong("output-xml")],
        help: ArgumentHelp("Write nmap-style XML to FILE (- for standard output).", valueName: "FILE"),
    completion: .file())
    var xmlFile: String?
    @Option(
        name: [.customLong("oG", withSingleDash: true), .customLong("output-grepable")],
        help: ArgumentHelp("Write nmap-style grepable lines to FILE (- for standard output).", valueName: "FILE"),
    completion: .file())
    var grepableFile: String?
    @Option(
        name: [.customLong("oA", withSingleDash: true), .customLong("output-all")],
        help: ArgumentHelp(
            "Write BASE.xml, BASE.gnmap, BASE.jsonl and the human log BASE.amap (as nmap's -oA).",
            valueName: "BASE"), completion: .file())
    var outputBase: String?
    @Option(
        name: .customLong("metadata-file"),
        help: ArgumentHelp(
            "Write the run record (version, signature files with SHA-256, arguments, times, counts) as JSON to FILE.",
            valueName: "FILE"), completion: .file())
    var metadataFile: String?

    @Option(
        name: .customLong("shard"),
        help: ArgumentHelp(
            "Scan only shard i of N (1-based) of the targets × ports, in a seeded order; run i=1..N on N machines.",
            valueName: "i/N"))
    var shardText: String?
    @Option(
        name: .customLong("seed"),
        help: ArgumentHelp(
            "Seed of the shuffled order (default with --shard: a fixed constant, the same on every machine).",
            valueName: "S"))
    var seedText: String?
    @Option(
        name: .customLong("stats-every"),
        help: ArgumentHelp(
            "Print a progress line (done/total, rate, ETA) on stderr every SEC seconds, also when not a terminal.",
            valueName: "SEC"))
    var statsEvery: Int?

    @Flag(name: .customLong("starttls"), help: ArgumentHelp(
        "Upgrade SMTP, IMAP, POP3, FTP, LDAP, XMPP, NNTP, PostgreSQL and MySQL ports to TLS in-band and report"
            + " the certificate (one more connection per such port)."))
    var startTLS = false

    // MARK: Speed and politeness
    @Option(name: .customLong("timing"), help: ArgumentHelp(
        "Probe waits: auto (lan for loopback/private addresses, else internet), lan, internet, or fixed (-t as is)"
            + " (default: auto).",
        valueName: "PROFILE"), completion: .list(["auto", "lan", "internet", "fixed"]))
    var timingText: String?
    @Option(name: .customLong("rate"), help: ArgumentHelp("At most N new connections per second.", valueName: "N"))
    var rate: Double?
    @Option(name: .customLong("max-per-host"), help: ArgumentHelp("At most N ports of one host probed at once.",
                                                                   valueName: "N"))
    var maxPerHost: Int?
    @Option(name: .customLong("host-timeout"), help: ArgumentHelp(
        "Start no new probe on a host SEC seconds after its first port began.", valueName: "SEC"))
    var hostTimeout: Double?
    @Option(name: .customLong("parallel-probes"), help: ArgumentHelp(
        "Probes in flight per port, each on its own connection (default \(ScanConfiguration.adaptivePerPortParallelism)"
            + " with adaptive timing, 1 with fixed).",
        valueName: "N"))
    var parallelProbes: Int?

    /// `--timing`, parsed; nil when not given.
    var timing: TimingChoice? {
        get throws {
            guard let timingText else { return nil }
            switch timingText.lowercased() {
            case "auto", "automatic": return .automatic
            case "fixed": return .fixed
            default:
                guard let profile = TimingProfile.named(timingText) else {
                    throw ValidationError("--timing: unknown profile '\(timingText)': use auto, lan, internet or fixed")
                }
                return .profile(profile)
            }
        }
    }

    // MARK: Proxy
    @Option(name: .customLong("proxy"), help: ArgumentHelp(
        "Make every TCP connection through this proxy: socks5://[USER:PASS@]HOST:PORT, socks5h://… (the proxy"
            + " resolves names) or http://[USER:PASS@]HOST:PORT (CONNECT). TCP only.",
        valueName: "URL"))
    var proxyURL: String?

    /// `--proxy`, parsed; nil when not given.
    var proxy: ProxyConfiguration? {
        get throws {
            guard let proxyURL else { return nil }
            do {
                return try ProxyConfiguration(url: proxyURL)
            } catch {
                throw ValidationError("--proxy: \(error)")
            }
        }
    }

    // MARK: Safety and resuming
    @Flag(
        name: .customLong("allow-huge-scan"),
        help: "Confirm a target of more than 2^24 addresses (e.g. 0.0.0.0/0), or an -i file of more than 2^20 endpoints.")
    var allowHugeScan = false
    @Option(name: .customLong("journal"), help: ArgumentHelp(
        "Append each finished (target, port) to FILE as it finishes, for --resume.", valueName: "FILE"),
    completion: .file())
    var journalFile: String?
    @Option(name: .customLong("resume"), help: ArgumentHelp(
        "Skip the (target, port) pairs FILE lists as finished, and keep appending to it.", valueName: "FILE"),
    completion: .file())
    var resumeFile: String?

    @Argument(help: ArgumentHelp("TARGET PORT [PORT...] [TARGET PORT...]: hosts, then ports (N, A-B, lists).", valueName: "target-and-ports"))
    var positional: [String] = []

    func validate() throws {
        if webUpdate {
            throw ValidationError("the web update (-W) was removed from amap; update signature files by hand")
        }
        if [mapMode, bannerMode, portScanMode].filter({ $0 }).count > 1 {
            throw ValidationError("choose one mode: -A (map), -B (banners) or -P (port scan)")
        }
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 exclude each other") }
        if machineReadable && outputFile == nil && outputBase == nil {
            throw ValidationError("-m makes the -o log machine-readable, so it needs -o FILE (or -oA BASE)")
        }
        if let problem = OutputPaths.problem(in: self) { throw ValidationError(problem) }
        if let connections, connections < 1 {
            throw ValidationError("-c needs at least 1 connection (got \(connections))")
        }
        if let connectAttempts, connectAttempts < 1 || connectAttempts > 100 {
            throw ValidationError("-C needs 1 to 100 attempts (got \(connectAttempts))")
        }
        for (flag, value) in [("-T", connectTimeout), ("-t", responseTimeout)] {
            if let value, value < 1 || value > 240 {
                throw ValidationError("\(flag) needs 1 to 240 seconds (got \(value))")
            }
        }
        if let versionIntensity, !(0...9).contains(versionIntensity) {
            throw ValidationError("--version-intensity needs 0 to 9 (got \(versionIntensity))")
        }
        _ = try shard
        _ = try seed
        if let statsEvery, statsEvery < 1 || statsEvery > 86_400 {
            throw ValidationError("--stats-every needs 1 to 86400 seconds (got \(statsEvery))")
        }
        _ = try timing
        if let rate, !(rate > 0) { throw ValidationError("--rate needs a positive number (got \(rate))") }
        if let maxPerHost, maxPerHost < 1 {
            throw ValidationError("--max-per-host needs at least 1 (got \(maxPerHost))")
        }
        if let hostTimeout, !(hostTimeout > 0) {
            throw ValidationError("--host-timeout needs a positive number of seconds (got \(hostTimeout))")
        }
        if let parallelProbes, !(1...ScanConfiguration.maximumPerPortParallelism).contains(parallelProbes) {
            throw ValidationError(
                "--parallel-probes needs 1 to \(ScanConfiguration.maximumPerPortParallelism) (got \(parallelProbes))")
        }
        if try proxy != nil && udp {
            throw ValidationError("--proxy tunnels TCP only: UDP ports (-u) cannot be scanned through a proxy")
        }
        if journalFile != nil && resumeFile != nil {
            throw ValidationError("--journal starts a new journal and --resume continues one: give only one")
        }
        if positional.isEmpty && inputFile == nil {
            throw ValidationError("no target: give TARGET PORT [PORT...] or -i FILE")
        }
    }

    /// `--shard i/N`, parsed.
    var shard: Shard? {
        get throws {
            guard let shardText else { return nil }
            do {
                return try Shard(parsing: shardText)
            } catch {
                throw ValidationError("--shard: \(error)")
            }
        }
    }

    /// `--seed S`: a decimal or 0x-prefixed hexadecimal 64-bit number.
    var seed: UInt64? {
        get throws {
            guard let seedText else { return nil }
            let value = seedText.lowercased().hasPrefix("0x")
                ? UInt64(seedText.dropFirst(2), radix: 16) : UInt64(seedText, radix: 10)
            guard let value else {
                throw ValidationError(
                    "--seed: invalid seed '\(seedText)': give a number from 0 to \(UInt64.max) (decimal or 0x hex)")
            }
            return value
        }
    }
}
