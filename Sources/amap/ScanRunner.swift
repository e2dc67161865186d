import AmapKit
import AmapReport
import ArgumentParser
import Foundation

/// Runs a scan from parsed options: builds the database, the targets, the engine and the report writers, then
/// streams every event to every writer as it arrives.
struct ScanRunner {
    let options: ScanOptions

    func run() async throws {
        // Everything that can fail is checked before the first probe, and reported as one `Error:` line with the
        // documented exit status (docs/exit-codes.md); nothing is written until all of it passed.
        let prepared: (engine: ScanEngine, endpoints: ResolvedEndpoints, outputs: OutputSet, journal: ScanJournal?)
        do {
            prepared = try await prepare()
        } catch {
            throw FatalError.report(Self.withHints(error, inputFile: options.inputFile))
        }
        let (engine, endpoints, journal) = (prepared.engine, prepared.endpoints, prepared.journal)
        let remaining = RemainingEndpoints(base: endpoints, finished: journal?.finished ?? [])
        // Under --resume, journal entries of other jobs make this an upper bound on the pairs already done.
        let alreadyDone = min(UInt64(journal?.finished.count ?? 0), endpoints.count)
        prepared.outputs.progress?.expect(total: endpoints.count - alreadyDone)
        let scan = Task { [outputs = prepared.outputs] in
            var outputs = outputs
            outputs.header(startedAt: Date())
            for await event in engine.scan(remaining) {
                outputs.write(event)
                if case .finished(let result) = event { journal?.record(result.endpoint) }
            }
            // On an interrupt the stream ends early (cancelled): every event already out is whole, and the
            // footer closes the report (the XML stays well-formed).
            outputs.footer(finishedAt: Date())
        }
        let interrupt = InterruptSignal()
        let watcher = InterruptWatcher { number in
            interrupt.set(number)
            scan.cancel()
        }
        await scan.value
        watcher.cancel()
        journal?.close()
        if let number = interrupt.value {
            let resume = (options.resumeFile ?? options.journalFile).map { "; resume with --resume \($0)" } ?? ""
            Terminal.standardError("amap: interrupted, results so far are written\(resume)")
            throw ExitCode(number == SIGTERM ? ExitStatus.terminated : ExitStatus.interrupted)
        }
    }

    /// Loads, parses, resolves and opens everything the scan needs, in the order that sends nothing and writes
    /// nothing until every check passed.
    private func prepare() async throws
        -> (engine: ScanEngine, endpoints: ResolvedEndpoints, outputs: OutputSet, journal: ScanJournal?)
    {
        let journalPath = options.resumeFile ?? options.journalFile
        try OutputPreflight.check(
            [options.outputFile, options.jsonFile, options.xmlFile, options.grepableFile, journalPath]
                .compactMap { $0 })
        let databases = DatabaseSelection(options: options)
        let database = try databases.load()
        let endpoints = try await TargetSelection(options: options).endpoints()
        let journal = try journalPath.map { path throws(ScanJournal.Failure) in
            try ScanJournal(path: path, resuming: options.resumeFile != nil)
        }
        let outputs = try OutputSet(options: options, arguments: CommandLine.arguments)
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
        return (engine, endpoints, outputs, journal)
    }

    /// Adds what the user can do about an error, where the library's message cannot name a CLI flag.
    static func withHints(_ error: any Error, inputFile: String? = nil) -> any Error {
        if let spec = error as? TargetSpecError, case .tooManyAddresses = spec {
            return HintedError(message: "\(spec): give --allow-huge-scan to confirm")
        }
        // An importer names the format and line; the file is the one -i gave (an unreadable one is named already).
        if let importError = error as? ImportError, let inputFile {
            if case .unreadable = importError { return error }
            return HintedError(message: "\(inputFile == "-" ? "standard input" : "'\(inputFile)'"): \(importError)")
        }
        return error
    }

    func configuration(reportAllMatches: Bool) -> ScanConfiguration {
        let mode: ScanMode = options.bannerMode ? .banner : options.portScanMode ? .portScan : .map
        var configuration = ScanConfiguration(
            mode: mode,
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
        // -c, else sized from the open-file limit (amap's 32 slots were one process's select() loop).
        configuration.window = options.connections
            ?? ScanConfiguration.automaticWindow(perPortParallelism: configuration.perPortParallelism)
        configuration.connectionsPerSecond = options.rate
        configuration.maxEndpointsPerHost = options.maxPerHost
        configuration.hostTimeoutMilliseconds = options.hostTimeout.map { Int($0 * 1_000) }
        return configuration
    }

    /// Response wait when `-t` is not given (amap: 5 s, which made silent ports cost minutes).
    static let defaultResponseSeconds = 3
    /// Banner wait when `-t` is not given: server-first daemons here greet within milliseconds; slow greeters
    /// (reverse-DNS lookups) are still caught by the probes that follow on the same connection.
    static let defaultBannerWaitMilliseconds = 2_000
}
