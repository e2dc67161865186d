import AmapKit
import AmapReport
import Foundation

/// Runs a scan from parsed options: builds the database, the targets, the engine and the report writers, then
/// streams every event to every writer as it arrives.
struct ScanRunner {
    let options: ScanOptions

    func run() async throws {
        let databases = DatabaseSelection(options: options)
        let database = try databases.load()
        let endpoints = try await TargetSelection(options: options).endpoints()
        var outputs = try OutputSet(options: options, arguments: CommandLine.arguments)
        let usesAmapSemantics = databases.choice.usesAmapSemantics
        let selection = ProbeSelection(
            intensity: options.versionIntensity,
            skipHarmful: options.skipHarmful,
            onlyProbeNamed: options.onlyTrigger,
            stopAtFirstIdentification: options.stopAtFirst
        )
        let engine = ScanEngine(
            configuration: configuration(reportAllMatches: usesAmapSemantics),
            planner: AmapScanner.planner(database: database, selection: selection, tlsPass: !options.noSSL),
            matcher: CombinedMatcher(database: database)
        )
        outputs.header(startedAt: Date())
        for await event in engine.scan(endpoints) {
            outputs.write(event)
        }
        outputs.footer(finishedAt: Date())
    }

    func configuration(reportAllMatches: Bool) -> ScanConfiguration {
        let mode: ScanMode = options.bannerMode ? .banner : options.portScanMode ? .portScan : .map
        var configuration = ScanConfiguration(
            mode: mode,
            window: options.connections ?? Self.defaultWindow,
            connectTimeoutMilliseconds: (options.connectTimeout ?? 5) * 1_000,
            connectAttempts: options.connectAttempts,
            responseTimeoutMilliseconds: (options.responseTimeout ?? Self.defaultResponseSeconds) * 1_000,
            bannerWaitMilliseconds: (options.responseTimeout ?? Self.defaultResponseSeconds) * 1_000,
            stopAtFirstIdentification: options.stopAtFirst || mode != .map,
            reportAllMatches: reportAllMatches && !options.stopAtFirst,
            tlsPass: !options.noSSL && mode == .map,
            preferIPv6: options.ipv6
        )
        if options.responseTimeout == nil {
            configuration.bannerWaitMilliseconds = Self.defaultBannerWaitMilliseconds
        }
        // Speed and politeness options (--timing, --parallel-probes, --rate, --max-per-host, --host-timeout).
        configuration.timing = (try? options.timing) ?? .automatic
        configuration.perPortParallelism = options.parallelProbes
            ?? (configuration.timing == .fixed ? 1 : ScanConfiguration.adaptivePerPortParallelism)
        if options.connections == nil {
            configuration.window = ScanConfiguration.automaticWindow(
                perPortParallelism: configuration.perPortParallelism)
        }
        configuration.connectionsPerSecond = options.rate
        configuration.maxEndpointsPerHost = options.maxPerHost
        configuration.hostTimeoutMilliseconds = options.hostTimeout.map { Int($0 * 1_000) }
        return configuration
    }

    /// Endpoints in flight at once when `-c` is not given. amap's 32 slots were one process's select() loop; the
    /// NIO engine holds far more, and the open-file limit is raised at start.
    static let defaultWindow = 256
    /// Response wait when `-t` is not given (amap: 5 s, which made silent ports cost minutes).
    static let defaultResponseSeconds = 3
    /// Banner wait when `-t` is not given: server-first daemons here greet within milliseconds; slow greeters
    /// (reverse-DNS lookups) are still caught by the probes that follow on the same connection.
    static let defaultBannerWaitMilliseconds = 2_000
}
