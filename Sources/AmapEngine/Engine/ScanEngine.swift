import AmapModel
import AmapSignatures
import NIOCore
import NIOPosix
import NIOSSL

/// The scan engine: probes endpoints with SwiftNIO and streams what it learns.
///
/// The engine never interprets bytes beyond "TLS or not": it hands every response to the `ResponseMatcher` and sends
/// what the `ProbePlanner` says. At most `configuration.window` endpoints are probed at a time, each over at most
/// `configuration.perPortParallelism` connections at a time; endpoints are taken from the sequence only when a
/// slot is free, so a huge job is never held in memory.
public struct ScanEngine: Sendable {
    /// The settings in force (normalized).
    public let configuration: ScanConfiguration
    private let planner: any ProbePlanner
    private let matcher: any ResponseMatcher
    let group: any EventLoopGroup
    private let tlsContext: NIOSSLContext?
    private let tlsContextProblem: String?
    private let chainTLSContext: NIOSSLContext?
    private let timings = HostTimings()
    private let rateLimiter: ConnectionRateLimiter?
    private let hostLimiter: HostConcurrencyLimiter?
    private let connectionLimiter: ConnectionLimiter?
    private let rpcPrograms: [RPCProgram]
    /// How many response bytes one connection held at most, counted by the engine itself (the byte cap bounds it).
    public let responseMemory = ResponseMemoryGauge()
    /// The first failure of the proxy itself, shared by this engine's scans.
    let proxyFaults = ProxyFaultLatch()

    /// The failure of the proxy itself (unreachable, credentials refused, not a proxy) that stopped a scan of this
    /// engine; nil while the proxy works (or without a proxy). A scan that meets it ends early: its stream finishes
    /// without the ports that were in flight, none of them reported with a state the proxy could not know.
    public var proxyFailure: ProxyError? { proxyFaults.fault }

    /// Creates an engine.
    ///
    /// - Parameters:
    ///   - configuration: the user's settings.
    ///   - planner: decides which probes each port gets.
    ///   - matcher: names services from the bytes.
    ///   - group: the event loops to use; `MultiThreadedEventLoopGroup.singleton` by default.
    ///   - rpcPrograms: the programs the RPC pass asks a port named as ONC RPC about (none: no RPC pass).
    public init(
        configuration: ScanConfiguration = ScanConfiguration(),
        planner: any ProbePlanner,
        matcher: any ResponseMatcher,
        group: (any EventLoopGroup)? = nil,
        rpcPrograms: [RPCProgram] = []
    ) {
        self.rpcPrograms = rpcPrograms
        self.configuration = configuration.normalized
        self.planner = planner
        self.matcher = matcher
        self.group = group ?? MultiThreadedEventLoopGroup.singleton
        self.rateLimiter = self.configuration.connectionsPerSecond.map { ConnectionRateLimiter(perSecond: $0) }
        self.hostLimiter = self.configuration.maxEndpointsPerHost.map { HostConcurrencyLimiter(limit: $0) }
        self.connectionLimiter = self.configuration.connectionLimit.map { ConnectionLimiter(limit: $0) }
        do {
            self.tlsContext = try NIOSSLContext(configuration: Self.scannerTLSConfiguration())
            self.tlsContextProblem = nil
        } catch {
            self.tlsContext = nil
            self.tlsContextProblem = "TLS pass unavailable: \(error)"
        }
        var chain = Self.scannerTLSConfiguration()
        // Only so that the callback runs: TCPConnector's callback accepts every certificate (see EngineContext).
        chain.certificateVerification = .noHostnameVerification
        self.chainTLSContext = try? NIOSSLContext(configuration: chain)
    }

    /// Under `-c N`, the most connections and UDP sockets that were open at once so far; nil without `-c`.
    public var connectionsAtOnce: Int? {
        get async { await connectionLimiter?.most }
    }

    /// Scans `endpoints`, streaming events as they are known: `.identified`, `.unrecognized`, `.banner`,
    /// `.portState` and `.warning` while probing, and one `.finished` per endpoint probed to the end (none for an
    /// endpoint cut short by cancellation). The stream ends after the last `.finished`; ending the iteration early
    /// cancels the scan.
    public func scan<S: Sequence & Sendable>(_ endpoints: S) -> AsyncStream<ScanEvent> where S.Element == Endpoint {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self)
        let context = makeContext { continuation.yield($0) }
        let problem = configuration.tlsPass && configuration.mode == .map ? tlsContextProblem : nil
        let task = Task {
            if let problem { context.emit(.warning(nil, ScanWarning(.tlsPassUnavailable, problem))) }
            await Self.run(endpoints, window: context.configuration.window, context: context)
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        if configuration.proxy != nil {
            // A failing proxy stops the whole scan: ports in flight end cancelled, so none is reported.
            let token = proxyFaults.whenFaulted { task.cancel() }
            Task { [proxyFaults] in
                await task.value
                proxyFaults.remove(token)
            }
        }
        return stream
    }

    /// Probes one endpoint and returns its result, without emitting `.finished` (other events are emitted to
    /// `events`). For callers that schedule endpoints themselves.
    public func probe(_ endpoint: Endpoint, events: @escaping @Sendable (ScanEvent) -> Void) async -> PortResult {
        await Self.probe(endpoint, context: makeContext(events))
    }

    private func makeContext(_ emit: @escaping @Sendable (ScanEvent) -> Void) -> EngineContext {
        EngineContext(
            configuration: configuration, planner: planner, matcher: matcher, group: group, tlsContext: tlsContext,
            chainTLSContext: chainTLSContext, emit: emit, timings: timings, rateLimiter: rateLimiter,
            connectionLimiter: connectionLimiter, hostLimiter: hostLimiter, responseMemory: responseMemory,
            rpcPrograms: rpcPrograms, proxyFaults: configuration.proxy == nil ? nil : proxyFaults)
    }

    private static func run<S: Sequence>(_ endpoints: S, window: Int, context: EngineContext) async
    where S.Element == Endpoint {
        await withTaskGroup(of: Void.self) { group in
            var iterator = endpoints.makeIterator()
            var inFlight = 0
            while inFlight < window, let endpoint = iterator.next() {
                group.addTask { await finish(endpoint, context: context) }
                inFlight += 1
            }
            while await group.next() != nil {
                guard !Task.isCancelled, let endpoint = iterator.next() else { continue }
                group.addTask { await finish(endpoint, context: context) }
            }
        }
    }

    /// Probes `endpoint` and emits its `.finished`, unless the scan was cancelled meanwhile: probing cut short by an
    /// interrupt gives a partial result, and an endpoint reported as finished is skipped by `--resume` (it was
    /// once journaled as an unidentified port and never probed again).
    private static func finish(_ endpoint: Endpoint, context: EngineContext) async {
        let result = await probe(endpoint, context: context)
        guard !Task.isCancelled else { return }
        context.emit(.finished(result))
    }

    /// Probes `endpoint` with a fresh `RegexLimitLog` installed, so that signature lines whose regex hit a match
    /// limit on this port's answers are named in its result's note.
    private static func probe(_ endpoint: Endpoint, context: EngineContext) async -> PortResult {
        let limits = RegexLimitLog()
        var result = await RegexLimitLog.$current.withValue(limits) {
            await probeWhenHostAllows(endpoint, context: context)
        }
        if let note = limits.note { result.note = result.note.map { "\($0); \(note)" } ?? note }
        return result
    }

    private static func probeWhenHostAllows(_ endpoint: Endpoint, context: EngineContext) async -> PortResult {
        guard let limiter = context.hostLimiter else { return await probeNow(endpoint, context: context) }
        await limiter.acquire(endpoint.address)
        let result = await probeNow(endpoint, context: context)
        await limiter.release(endpoint.address)
        return result
    }

    private static func probeNow(_ endpoint: Endpoint, context: EngineContext) async -> PortResult {
        if context.configuration.proxy != nil, endpoint.transport == .udp {
            // Sent directly, it would leave from here, not from the proxy: not what the user asked for.
            return PortResult(endpoint: endpoint, state: .openFiltered, note: Self.udpThroughProxyNote)
        }
        return switch (context.configuration.mode, endpoint.transport) {
        case (.map, .tcp): await TCPServiceMapper(context: context).run(endpoint)
        case (.map, .udp): await UDPServiceMapper(context: context).run(endpoint)
        case (.banner, _): await QuickScans(context: context).banner(endpoint)
        case (.portScan, _): await QuickScans(context: context).portScan(endpoint)
        }
    }

    /// The note of a UDP endpoint given to an engine with a proxy: not probed.
    static let udpThroughProxyNote = "not probed: UDP cannot go through the proxy (--proxy tunnels TCP only)"

    /// A client that talks to anything: no certificate or host-name verification, TLS 1.0 to 1.3, and a short
    /// close (the engine resets connections rather than waiting for close_notify).
    static func scannerTLSConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        tls.minimumTLSVersion = .tlsv1
        tls.maximumTLSVersion = .tlsv13
        tls.shutdownTimeout = .milliseconds(100)
        return tls
    }
}
