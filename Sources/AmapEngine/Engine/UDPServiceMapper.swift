import AmapModel
import AmapSignatures

/// Map mode over UDP: each of the planner's UDP probes from a fresh connected socket, with retransmits.
///
/// Any answer makes the port `open`; ICMP port unreachable makes it `closed`; silence after every probe leaves it
/// `open|filtered`. UDP has no NULL probe: empty payloads are skipped.
struct UDPServiceMapper: Sendable {
    /// The shared engine state.
    var context: EngineContext

    /// Probes `endpoint` and returns what was learned.
    func run(_ endpoint: Endpoint) async -> PortResult {
        let exchange = UDPExchange(context: context)
        var findings = EndpointFindings(endpoint: endpoint, configuration: context.configuration, emit: context.emit)
        var state = PortState.openFiltered
        var softService: String?
        var plan = context.planner.plan(port: endpoint.port, transport: .udp, tunnelled: false, softMatchedService: nil)
        var sent: Set<String> = []
        var index = 0
        probing: while index < plan.count, !Task.isCancelled {
            let probe = plan[index]
            index += 1
            guard probe.transport == .udp, !probe.isNull, sent.insert(probe.name).inserted else { continue }
            var decision = EndpointFindings.Decision.keepReading
            let wait = await context.waitMilliseconds(for: probe, on: endpoint)
            if let limiter = context.rateLimiter { await limiter.acquire() }
            let outcome = await exchange.run(
                endpoint, plan: exchange.plan(payload: probe.payload, waitMilliseconds: wait)
            ) { bytes in
                let hits = context.matcher.identify(bytes, probe: probe, transport: .udp, tunnelled: false)
                decision = findings.record(hits, response: bytes, probe: probe, tunnelled: false)
                return decision != .keepReading
            }
            switch outcome {
            case .answered(let bytes, _):
                state = .open
                findings.noteResponse(bytes, probe: probe, tunnelled: false)
            case .refused:
                // Reported by the formatters from the finished result (state closed), which know about -q.
                findings.note = "port unreachable"
                state = .closed
                break probing
            case .silent:
                break
            case .failed(let failure):
                findings.note = failure.note
                context.emit(.warning(endpoint, failure.note))
                break probing
            }
            if decision == .stopPass { break }
            if findings.softService != softService {
                softService = findings.softService
                plan = context.planner.plan(
                    port: endpoint.port, transport: .udp, tunnelled: false, softMatchedService: softService)
                index = 0
            }
        }
        findings.finish()
        return findings.result(state: state)
    }
}
