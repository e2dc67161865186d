import AmapSignatures
import NIOCore
import NIOSSL

/// Map mode over TCP: connect, run the planner's probes (NULL first), and when the port speaks TLS, run them again
/// inside TLS.
///
/// nmap's connection rule: the NULL probe listens on a fresh connection; if it times out without a match, the next
/// probe goes out on that same connection; every later probe opens a fresh one.
struct TCPServiceMapper: Sendable {
    /// The shared engine state.
    var context: EngineContext

    /// Probes `endpoint` and returns what was learned; identifications are emitted as they are found.
    func run(_ endpoint: Endpoint) async -> PortResult {
        let connector = TCPConnector(context: context)
        var findings = EndpointFindings(endpoint: endpoint, configuration: context.configuration, emit: context.emit)
        let first: TCPSession
        switch await connector.connect(endpoint, tls: false) {
        case .success(let session):
            first = session
        case .failure(let failure):
            findings.note = failure.note
            if case .localResourceExhausted = failure { context.emit(.warning(endpoint, failure.note)) }
            return findings.result(state: failure.portState)
        }
        await probePass(endpoint, tunnelled: false, first: first, connector: connector, findings: &findings)
        if findings.tlsRequested && context.configuration.tlsPass && !Task.isCancelled {
            await tlsPass(endpoint, connector: connector, findings: &findings)
        }
        findings.emitUnrecognizedIfNeeded()
        return findings.result(state: .open)
    }

    private func tlsPass(_ endpoint: Endpoint, connector: TCPConnector, findings: inout EndpointFindings) async {
        findings.beginTLSPass()
        switch await connector.connect(endpoint, tls: true) {
        case .success(let session):
            findings.tls = await Self.details(of: session.channel)
            await probePass(endpoint, tunnelled: true, first: session, connector: connector, findings: &findings)
        case .failure(let failure):
            findings.note = failure.note
            context.emit(.warning(endpoint, failure.note))
        }
        findings.endTLSPass()
    }

    /// One pass over the plan; `first` is a fresh connection for the first probe.
    private func probePass(
        _ endpoint: Endpoint,
        tunnelled: Bool,
        first: TCPSession,
        connector: TCPConnector,
        findings: inout EndpointFindings
    ) async {
        let configuration = context.configuration
        var softService = findings.softService
        var plan = context.planner.plan(
            port: endpoint.port, transport: .tcp, tunnelled: tunnelled, softMatchedService: softService)
        var sent: Set<String> = []
        var index = 0
        var spare: TCPSession? = first
        var isFirstProbe = true
        while index < plan.count, !Task.isCancelled {
            let probe = plan[index]
            index += 1
            guard probe.transport == .tcp, sent.insert(probe.name).inserted else { continue }
            var session: TCPSession
            if let reusable = spare {
                session = reusable
                spare = nil
            } else {
                switch await connector.connect(endpoint, tls: tunnelled) {
                case .success(let fresh):
                    session = fresh
                case .failure(let failure):
                    // The port answered before; a refusal or silence now ends probing, it does not change the state.
                    findings.note = "probing stopped: \(failure.note)"
                    return
                }
            }
            let request = BeginExchange(
                payload: probe.payload, waitMilliseconds: configuration.waitMilliseconds(for: probe))
            var decision = EndpointFindings.Decision.keepReading
            let outcome = await session.exchange(request) { bytes in
                let hits = context.matcher.identify(bytes, probe: probe, transport: .tcp, tunnelled: tunnelled)
                decision = findings.record(hits, response: bytes, probe: probe, tunnelled: tunnelled)
                return decision != .keepReading
            }
            findings.noteResponse(outcome.bytes, probe: probe, tunnelled: tunnelled)
            let wrappedLimit = Duration.milliseconds(probe.tcpWrappedMilliseconds ?? Self.tcpWrappedDefault)
            if probe.isNull, !tunnelled, outcome.end == .closed, outcome.bytes.isEmpty,
                ContinuousClock.now - session.connectedAt < wrappedLimit
            {
                findings.note = Self.tcpWrappedNote
                return
            }
            if decision == .stopPass || outcome.end == .cancelled {
                await session.close()
                return
            }
            if isFirstProbe && probe.isNull && outcome.end == .deadline && session.isOpen {
                spare = session
            } else {
                await session.close()
            }
            isFirstProbe = false
            if findings.softService != softService {
                softService = findings.softService
                plan = context.planner.plan(
                    port: endpoint.port, transport: .tcp, tunnelled: tunnelled, softMatchedService: softService)
                index = 0
            }
        }
        if var unused = spare { await unused.close() }
    }

    /// nmap's compiled-in `tcpwrappedms` when a NULL probe has none.
    static let tcpWrappedDefault = 2_000
    /// The note for a port that closes the connection at once without a byte (TCP wrappers, nmap's `tcpwrapped`).
    static let tcpWrappedNote = "tcpwrapped"

    /// Reads the protocol version and the certificate from the TLS handler, on the channel's event loop.
    static func details(of channel: any Channel) async -> TLSDetails? {
        try? await channel.eventLoop.submit {
            let sync = channel.pipeline.syncOperations
            return TLSDetails(version: try sync.nioSSL_tlsVersion(), certificate: try sync.nioSSL_peerCertificate())
        }.get()
    }
}
