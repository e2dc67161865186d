import AmapKit
import AmapReport
import ArgumentParser
import Foundation

/// Runs a scan from parsed options: builds the database, the targets, an `AmapScanner` and the report writers, then
/// streams every event to every writer as it arrives. The engine, its defaults and its set-up are AmapKit's.
struct ScanRunner {
    let options: ScanOptions

    func run() async throws {
        // The process's limit is the program's to change, not the library's: raised before the automatic window is
        // sized from it, so every connection the window allows has a descriptor.
        OpenFileLimit.raiseSoftLimitToHardLimit()
        // Everything that can fail is checked before the first probe, and reported as one `Error:` line with the
        // documented exit status (docs/exit-codes.md); nothing is written until all of it passed.
        let prepared: Prepared
        do {
            prepared = try await prepare()
        } catch {
            throw FatalError.report(Self.withHints(error, inputFile: options.inputFile))
        }
        let (scanner, endpoints, journal) = (prepared.scanner, prepared.endpoints, prepared.journal)
        let remaining = RemainingEndpoints(base: endpoints, finished: journal?.finished ?? [])
        // Under --resume, journal entries of other jobs make this an upper bound on the pairs already done.
        let alreadyDone = min(UInt64(journal?.finished.count ?? 0), endpoints.count)
        prepared.outputs.progress?.expect(total: endpoints.count - alreadyDone)
        let metadata = try Self.metadataWriter(options.metadataFile)
        let scan = Task { [outputs = prepared.outputs, files = prepared.databaseFiles] () -> RunRecord? in
            var outputs = outputs
            let started = Date()
            var record = metadata.map { _ in
                RunRecord(databases: files.map(RunRecord.DatabaseFile.init(path:)),
                          arguments: Self.redactingProxyPassword(CommandLine.arguments), startedAt: started)
            }
            outputs.header(startedAt: started)
            for await event in scanner.scan(remaining) {
                outputs.write(event)
                if case .finished(let result) = event {
                    journal?.record(result.endpoint)
                    record?.record(result)
                }
            }
            // On an interrupt the stream ends early (cancelled): every event already out is whole, and the
            // footer closes the report (the XML stays well-formed).
            let finished = Date()
            outputs.footer(finishedAt: finished)
            record?.finishedAt = finished
            record?.completed = !Task.isCancelled
            return record
        }
        let interrupt = InterruptSignal()
        let watcher = InterruptWatcher { number in
            interrupt.set(number)
            scan.cancel()
        }
        let record = await scan.value
        watcher.cancel()
        if let metadata, let record {
            try? metadata.write(contentsOf: Data((record.object.serialized + "\n").utf8))
            if metadata !== FileHandle.standardOutput { try? metadata.close() }
        }
        journal?.close()
        if let number = interrupt.value {
            let resume = (options.resumeFile ?? options.journalFile).map { "; resume with --resume \($0)" } ?? ""
            Terminal.standardError("amap: interrupted, results so far are written\(resume)")
            throw ExitCode(number == SIGTERM ? ExitStatus.terminated : ExitStatus.interrupted)
        }
        if let failure = scanner.proxyFailure {
            // The ports in flight when the proxy failed were not reported (nor journaled): none has a made-up state.
            let resume = (options.resumeFile ?? options.journalFile).map { "; resume with --resume \($0)" } ?? ""
            let message = "\(failure); results so far are written\(resume)"
            Terminal.standardError("Error: " + TerminalEscaping.escape(message))
            throw ExitCode(ExitStatus.fatal)
        }
    }

    /// Loads, parses, resolves and opens everything the scan needs, in the order that sends nothing and writes
    /// nothing until every check passed.
    private func prepare() async throws -> Prepared {
        let journalPath = options.resumeFile ?? options.journalFile
        try OutputPreflight.check(OutputPaths(options: options).files + [journalPath, options.metadataFile]
            .compactMap { $0 }.filter { $0 != OutputPaths.standardOutput })
        let databases = DatabaseSelection(options: options)
        let database = try databases.load()
        try Self.checkTriggerName(options.onlyTrigger, in: database)
        let configuration = databases.choice.applying(to: try configuration())
        let proxy = configuration.proxy
        let endpoints = try await TargetSelection(options: options).endpoints(
            resolveNames: !(proxy?.resolvesNamesAtProxy ?? false))
        if proxy != nil, TargetResolution.hasUDP(endpoints.job) {
            Terminal.standardError("Error: --proxy tunnels TCP only: the targets have UDP ports (U:, -u or from -i)")
            throw ExitCode(ExitStatus.usage)
        }
        let scanner = AmapScanner(database: database, configuration: configuration, selection: selection)
        // The proxy is tried once before anything is written: a dead proxy or refused credentials end here.
        try await scanner.checkProxy(reaching: endpoints.first { _ in true })
        let journal = try journalPath.map { path throws(ScanJournal.Failure) in
            try ScanJournal(path: path, resuming: options.resumeFile != nil)
        }
        let outputs = try OutputSet(
            options: options, arguments: Self.redactingProxyPassword(CommandLine.arguments),
            endpoints: RemainingEndpoints(base: endpoints, finished: journal?.finished ?? []))
        return Prepared(scanner: scanner, endpoints: endpoints, outputs: outputs, journal: journal,
                        databaseFiles: options.metadataFile == nil ? [] : databases.choice.sourceFiles())
    }

    /// What ``prepare()`` made.
    private struct Prepared {
        var scanner: AmapScanner
        var endpoints: ResolvedEndpoints
        var outputs: OutputSet
        var journal: ScanJournal?
        /// The signature files, for the run record (empty without `--metadata-file`).
        var databaseFiles: [String]
    }

    /// The handle of `--metadata-file` (`-` is standard output), created before the scan so that an unwritable path
    /// fails first.
    private static func metadataWriter(_ path: String?) throws -> FileHandle? {
        guard let path else { return nil }
        do {
            return try OutputSet.create(path)
        } catch {
            throw FatalError.report(error)
        }
    }

    /// `-p NAME` must name a trigger of `database`: a probe's name or one of its amap aliases.
    static func checkTriggerName(_ name: String?, in database: SignatureDatabase) throws(CLIError) {
        guard let name else { return }
        let probes = database.probes.filter { !$0.isNull }
        guard !probes.contains(where: { $0.answers(toName: name) }) else { return }
        let valid = Set(probes.flatMap { [$0.name] + $0.amapAliases }).sorted()
        throw .unknownTrigger(name: name, valid: valid)
    }

    /// The probes to send: `--version-intensity`, `-H`, `-p NAME`, `-1`.
    var selection: ProbeSelection {
        ProbeSelection(
            intensity: options.versionIntensity ?? ProbeSelection.defaultIntensity,
            skipHarmful: options.skipHarmful,
            onlyProbeNamed: options.onlyTrigger,
            stopAtFirstIdentification: options.stopAtFirst
        )
    }

    /// The command line as reports record it (XML `args`, the grepable and human headers), with the password of a
    /// `--proxy URL` replaced by `***`.
    static func redactingProxyPassword(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var nextIsProxy = false
        for argument in arguments {
            if nextIsProxy {
                result.append(ProxyConfiguration.redacted(url: argument))
            } else if argument.hasPrefix("--proxy=") {
                result.append("--proxy=" + ProxyConfiguration.redacted(url: String(argument.dropFirst(8))))
            } else {
                result.append(argument)
            }
            nextIsProxy = argument == "--proxy"
        }
        return result
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

    /// The engine's settings: ``ScanConfiguration``'s defaults (the library's), changed only where an option was
    /// given; the matching rule comes from the database choice (`DatabaseChoice.applying(to:)`).
    func configuration() throws -> ScanConfiguration {
        var configuration = ScanConfiguration(
            mode: options.bannerMode ? .banner : options.portScanMode ? .portScan : .map,
            window: options.connections,
            stopAtFirstIdentification: options.stopAtFirst,
            tlsPass: !options.noSSL,
            preferIPv6: options.ipv6,
            timing: try options.timing ?? ScanConfiguration.defaultTiming,
            perPortParallelism: options.parallelProbes
        )
        if let seconds = options.connectTimeout { configuration.connectTimeoutMilliseconds = seconds * 1_000 }
        if let attempts = options.connectAttempts { configuration.connectAttempts = attempts }
        if let seconds = options.responseTimeout {
            configuration.responseTimeoutMilliseconds = seconds * 1_000
            configuration.bannerWaitMilliseconds = seconds * 1_000
        }
        configuration.rpcPass = !options.noRPC
        configuration.connectionLimit = options.connections
        configuration.connectionsPerSecond = options.rate
        configuration.maxEndpointsPerHost = options.maxPerHost
        configuration.hostTimeoutMilliseconds = options.hostTimeout.map { Int($0 * 1_000) }
        configuration.proxy = try options.proxy
        configuration.startTLS = options.startTLS
        return configuration
    }
}
