import AmapKit
import AmapReport
import Foundation

/// Every destination of a scan's report (stdout plus the files of -o, -oJ, -oX, -oG, -oA), each with its formatter.
///
/// Each event is formatted and written at once, unbuffered, so an interrupted scan keeps every line written so far.
struct OutputSet {
    private var sinks: [(formatter: any ReportFormatter, handle: FileHandle)] = []
    /// The progress line or periodic stats on stderr, when shown.
    let progress: ProgressDisplay?

    /// `endpoints` are the ones the scan will visit: counted by address (when `-oX` is given and the job is not too
    /// large) so that each address's `<host>` is written as soon as its last port finishes.
    init<Endpoints: Sequence>(options: ScanOptions, arguments: [String], endpoints: Endpoints) throws
    where Endpoints.Element == Endpoint {
        progress = ProgressDisplay.make(statsEvery: options.statsEvery)
        let mode: AmapReportMode = options.bannerMode ? .banner : options.portScanMode ? .portscan : .mapping
        let human = AmapHumanOptions(
            mode: mode,
            showsTrigger: options.verbosity > 0,
            appendsBanner: options.printBanner,
            dumpsUnrecognized: !options.noUnrecognizedDump,
            dumpsIdentified: options.dumpAll,
            listsUnidentified: !options.quiet,
            warnsUnreliableUDP: options.udp,
            warnsRefused: options.verbosity > 0,
            connectTimeoutSeconds: options.connectTimeout
                ?? ScanConfiguration.defaultConnectTimeoutMilliseconds / 1_000,
            connectAttempts: options.connectAttempts ?? ScanConfiguration.defaultConnectAttempts
        )
        let paths = OutputPaths(options: options)
        // A report sent to standard output (`-oX -`) takes the place of amap's own lines there.
        if !paths.usesStandardOutput {
            if options.json {
                sinks.append((JSONLinesFormatter(), .standardOutput))
            } else {
                sinks.append((Self.amapNames(AmapHumanFormatter(destination: .terminal, options: human), options),
                              .standardOutput))
            }
        }
        if let path = paths.log {
            let formatter: any ReportFormatter =
                options.machineReadable
                ? AmapMachineFormatter(mode: mode, listsUnidentified: !options.quiet)
                : AmapHumanFormatter(destination: .log, options: human)
            sinks.append((Self.amapNames(formatter, options), try Self.create(path, keepingOld: true)))
        }
        let run = NmapRunInfo(arguments: arguments.joined(separator: " "))
        if let path = paths.json { sinks.append((JSONLinesFormatter(), try Self.create(path))) }
        if let path = paths.xml {
            let plan = NmapHostPlan(counting: endpoints, limit: NmapHostPlan.defaultCountLimit)
            sinks.append((NmapXMLFormatter(run: run, plan: plan), try Self.create(path)))
        }
        if let path = paths.grepable { sinks.append((NmapGrepableFormatter(run: run), try Self.create(path))) }
    }

    /// `formatter`, printing amap's IDs under `--names amap` (only amap's own line formats are renamed).
    static func amapNames(_ formatter: any ReportFormatter, _ options: ScanOptions) -> any ReportFormatter {
        guard options.names == .amap else { return formatter }
        return RenamingFormatter(formatter, names: AmapNameTable.loadBuiltin())
    }

    /// Opens `path` for writing (`-` is standard output); amap renames an existing `-o` file to `FILE.old` first, with
    /// a warning on stdout.
    static func create(_ path: String, keepingOld: Bool = false) throws -> FileHandle {
        if path == OutputPaths.standardOutput { return .standardOutput }
        let manager = FileManager.default
        if keepingOld && manager.fileExists(atPath: path) {
            let old = path + ".old"
            try? manager.removeItem(atPath: old)
            do {
                try manager.moveItem(atPath: path, toPath: old)
                Terminal.standardOutput("Warning: output file \(path) exists, renamed it to \(old)\n")
            } catch {
                throw CLIError.outputUnwritable(path: path, reason: "cannot rename the existing file to \(old)")
            }
        }
        guard manager.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            let reason = String(cString: strerror(errno))
            throw CLIError.outputUnwritable(path: path, reason: reason)
        }
        return handle
    }

    mutating func header(startedAt date: Date) {
        progress?.start()
        for index in sinks.indices { emit(index) { $0.header(startedAt: date) } }
    }

    mutating func write(_ event: ScanEvent) {
        for index in sinks.indices { emit(index) { $0.format(event) } }
        progress?.record(event)
    }

    mutating func footer(finishedAt date: Date) {
        progress?.finish()
        for index in sinks.indices { emit(index) { $0.footer(finishedAt: date) } }
    }

    private mutating func emit(_ index: Int, _ body: (inout any ReportFormatter) -> String) {
        let text = body(&sinks[index].formatter)
        guard !text.isEmpty else { return }
        let handle = sinks[index].handle
        var failure: (any Error)?
        let write = {
            do { try handle.write(contentsOf: Data(text.utf8)) } catch { failure = error }
        }
        // Results on a terminal must not land in the middle of the progress line.
        if handle === FileHandle.standardOutput, let progress { progress.aside(write) } else { write() }
        if let error = failure {
            // A reader that went away (EPIPE on a closed pipe) ends the run quietly, as grep and cat do; a file that
            // stops taking data (disk full) is reported once and dropped, so other outputs go on.
            if sinks[index].handle === FileHandle.standardOutput { exit(0) }
            Terminal.standardError("Error: cannot write output: \(error.localizedDescription); that output stops here")
            sinks[index].handle = FileHandle.nullDevice
        }
    }
}
