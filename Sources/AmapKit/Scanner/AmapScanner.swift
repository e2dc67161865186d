import AmapEngine
import AmapModel
import AmapSignatures
import AmapTargets

/// Scans targets and names the services on their ports: the engine, the probe planner, the matcher and a signature
/// database put together. This is the one place they are put together; the `amap` command is a client of it.
///
/// ```swift
/// let scanner = try AmapScanner()
/// for await result in try await scanner.results(targets: ["127.0.0.1"], ports: "22,80") {
///     print(result.endpoint, result.primary?.service ?? "unidentified")
/// }
/// ```
///
/// Results stream as each port is done; ending the iteration early cancels the scan.
public struct AmapScanner: Sendable {
    /// The merged signature database in use.
    public let database: SignatureDatabase
    /// Which probes are sent.
    public let selection: ProbeSelection
    /// The engine's settings (normalized).
    public var configuration: ScanConfiguration { engine.configuration }
    /// The engine.
    public let engine: ScanEngine

    /// A scanner over an already loaded database.
    ///
    /// - Parameters:
    ///   - database: the signatures.
    ///   - configuration: the engine's settings (mode, window, timeouts, TLS pass); ``ScanConfiguration/init``'s
    ///     defaults are the `amap` command's.
    ///   - selection: probe intensity, harmful probes, a single probe, stop at the first identification.
    public init(
        database: SignatureDatabase,
        configuration: ScanConfiguration = ScanConfiguration(),
        selection: ProbeSelection = ProbeSelection()
    ) {
        self.database = database
        self.selection = selection
        let configuration = configuration.normalized
        self.engine = ScanEngine(
            configuration: configuration,
            planner: Self.planner(database: database, selection: selection, tlsPass: configuration.tlsPass),
            matcher: CombinedMatcher(database: database),
            rpcPrograms: database.rpcPrograms
        )
    }

    /// A scanner over the chosen signature files (the built-in database by default). When only amap's appdefs are
    /// chosen, amap's rule applies: every distinct identification of a port is reported.
    ///
    /// - Throws: ``DatabaseChoiceError`` or `SignatureFileError` when a file cannot be found or read. Lines with
    ///   errors are skipped, as the `amap` command skips them.
    public init(
        databases: DatabaseChoice = .builtin,
        configuration: ScanConfiguration = ScanConfiguration(),
        selection: ProbeSelection = ProbeSelection()
    ) throws {
        self.init(
            database: try databases.load().database,
            configuration: databases.applying(to: configuration),
            selection: selection)
    }

    /// The built-in database's modern TLS ClientHello probe (20-tls.probes).
    static let tlsHelloProbeName = "TLSClientHello"

    /// nmap's probe order over `database`; with the TLS pass on, the built-in modern ClientHello is added after the
    /// banner wait so TLS servers that ignore old hellos are still found.
    public static func planner(
        database: SignatureDatabase,
        selection: ProbeSelection,
        tlsPass: Bool
    ) -> any ProbePlanner {
        let base = NmapProbePlanner(database: database, selection: selection)
        guard tlsPass, selection.onlyProbeNamed == nil else { return base }
        // The scan's own database has the hello whenever it includes the built-in one; load that only otherwise.
        let hello = database.probe(named: Self.tlsHelloProbeName, transport: .tcp)
            ?? (try? BuiltinDatabase.load().database)?.probe(named: Self.tlsHelloProbeName, transport: .tcp)
        guard let hello else { return base }
        return TLSHelloPlanner(base: base, hello: hello)
    }

    /// Scans `endpoints`, streaming every event (identifications, unrecognised responses, banners, port states,
    /// warnings) and one `.finished` per endpoint.
    public func scan<S: Sequence & Sendable>(_ endpoints: S) -> AsyncStream<ScanEvent> where S.Element == Endpoint {
        engine.scan(endpoints)
    }

    /// Scans `ports` on each of `targets`, streaming every event.
    ///
    /// With a proxy (``ScanConfiguration/proxy``) the proxy is checked first (``checkProxy(reaching:)``), host names
    /// are left to a proxy that resolves them (`socks5h://`, HTTP), and UDP ports are refused. Should the proxy fail
    /// during the scan, the stream ends early and ``proxyFailure`` says why.
    ///
    /// - Parameters:
    ///   - targets: addresses, ranges (`127.0.0.1-5`), CIDR blocks (`127.0.0.0/30`), IPv6 or host names.
    ///   - ports: a port specification: `22`, `20-25`, `22,80,443`, `T:80,U:53`.
    ///   - transport: the transport of ports without a `T:`/`U:` prefix.
    ///   - order: the natural order, or one shard in a seeded order.
    /// - Throws: `TargetSpecError` for a malformed target or port, `EndpointResolver.ResolveError` for a name that
    ///   does not resolve, `ProxyTransportError` for UDP ports with a proxy, `ProxyError` for a proxy that fails
    ///   its check.
    public func scan(
        targets: [String],
        ports: String,
        transport: Transport = .tcp,
        order: EndpointOrder = .natural
    ) async throws -> AsyncStream<ScanEvent> {
        let job = try Self.job(targets: targets, ports: ports, transport: transport)
        let endpoints = try await endpoints(of: job, order: order)
        try await checkProxy(reaching: endpoints.first(where: { _ in true }))
        return engine.scan(endpoints)
    }

    /// The endpoints of `job` in `order`, with host names resolved here unless the proxy resolves them.
    ///
    /// - Throws: `ProxyTransportError` when the job has UDP ports and a proxy is set;
    ///   `EndpointResolver.ResolveError` for a name that does not resolve.
    public func endpoints(of job: ScanJob, order: EndpointOrder = .natural) async throws -> ResolvedEndpoints {
        let proxy = configuration.proxy
        if proxy != nil, TargetResolution.hasUDP(job) { throw ProxyTransportError() }
        return try await TargetResolution.resolve(
            job, order: order, preferIPv6: configuration.preferIPv6,
            resolveNames: !(proxy?.resolvesNamesAtProxy ?? false))
    }

    /// Checks the proxy, if one is set, before a scan: see `ScanEngine.checkProxy(reaching:)`. `endpoint`, a port of
    /// the scan, is what an HTTP proxy is asked to CONNECT to (only its credentials and its being a proxy matter).
    ///
    /// - Throws: ``ProxyError`` when the proxy cannot be reached or refuses the credentials.
    public func checkProxy(reaching endpoint: Endpoint? = nil) async throws(ProxyError) {
        try await engine.checkProxy(reaching: endpoint)
    }

    /// Why the proxy stopped a scan (unreachable, credentials refused); nil while it works or without a proxy.
    public var proxyFailure: ProxyError? { engine.proxyFailure }

    /// Scans `ports` on each of `targets` and streams only the final result of each port.
    ///
    /// See ``scan(targets:ports:transport:order:)`` for the parameters and errors.
    public func results(
        targets: [String],
        ports: String,
        transport: Transport = .tcp,
        order: EndpointOrder = .natural
    ) async throws -> AsyncStream<PortResult> {
        let events = try await scan(targets: targets, ports: ports, transport: transport, order: order)
        let (stream, continuation) = AsyncStream.makeStream(of: PortResult.self)
        let task = Task {
            for await event in events {
                if case .finished(let result) = event { continuation.yield(result) }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The job of `ports` on every target.
    static func job(targets: [String], ports: String, transport: Transport) throws(TargetSpecError) -> ScanJob {
        var specs: [TargetSpec] = []
        for target in targets { specs.append(try TargetSpec.parse(target)) }
        let portList = try PortList.parse(ports, defaultTransport: transport)
        return try ScanJob(groups: [TargetGroup(targets: specs, ports: portList)])
    }
}
