import AmapModel
import AmapSignatures

/// Banner mode (amap `-B`) and port-scan mode (amap `-P`): no triggers, no matching.
struct QuickScans: Sendable {
    /// The shared engine state.
    var context: EngineContext

    /// amap's banner trigger for UDP: a single NUL byte (TCP sends nothing).
    static let udpBannerPayload: [UInt8] = [0]

    /// Banner mode: connect and report the first bytes the port sends (UDP: after one NUL byte).
    func banner(_ endpoint: Endpoint) async -> PortResult {
        let wait = context.configuration.bannerWaitMilliseconds
        switch endpoint.transport {
        case .tcp:
            var session: TCPSession
            switch await TCPConnector(context: context).connect(endpoint, tls: false) {
            case .success(let connected): session = connected
            case .failure(let failure):
                return PortResult(
                    endpoint: endpoint, state: failure.portState, note: failure.note, status: failure.status)
            }
            let outcome = await session.exchange(BeginExchange(payload: [], waitMilliseconds: wait)) { _ in true }
            await session.close()
            return reportBanner(endpoint, bytes: outcome.bytes, state: .open)
        case .udp:
            let exchange = UDPExchange(context: context)
            let outcome = await exchange.run(
                endpoint, plan: exchange.plan(payload: Self.udpBannerPayload, waitMilliseconds: wait)) { _ in true }
            return udpResult(endpoint, outcome: outcome, reportBanner: true)
        }
    }

    /// Port-scan mode: TCP connect success is `open`; UDP is `closed` when refused, `open` when it answered, else
    /// `open|filtered`.
    func portScan(_ endpoint: Endpoint) async -> PortResult {
        switch endpoint.transport {
        case .tcp:
            switch await TCPConnector(context: context).connect(endpoint, tls: false) {
            case .success(var session):
                await session.close()
                context.emit(.portState(endpoint, .open))
                return PortResult(endpoint: endpoint, state: .open)
            case .failure(let failure):
                return PortResult(
                    endpoint: endpoint, state: failure.portState, note: failure.note, status: failure.status)
            }
        case .udp:
            let exchange = UDPExchange(context: context)
            let outcome = await exchange.run(
                endpoint,
                plan: exchange.plan(payload: Self.udpBannerPayload,
                                    waitMilliseconds: context.configuration.responseTimeoutMilliseconds)
            ) { _ in true }
            let result = udpResult(endpoint, outcome: outcome, reportBanner: false)
            if result.state != .closed { context.emit(.portState(endpoint, result.state)) }
            return result
        }
    }

    private func reportBanner(_ endpoint: Endpoint, bytes: [UInt8], state: PortState) -> PortResult {
        // No banner within the wait: the read timed out.
        guard !bytes.isEmpty else { return PortResult(endpoint: endpoint, state: state, status: .ioTimeout) }
        context.emit(.banner(endpoint, bytes))
        return PortResult(endpoint: endpoint, state: state, banner: bytes)
    }

    private func udpResult(_ endpoint: Endpoint, outcome: UDPExchange.Outcome, reportBanner: Bool) -> PortResult {
        switch outcome {
        case .answered(let bytes, _):
            return reportBanner
                ? self.reportBanner(endpoint, bytes: bytes, state: .open)
                : PortResult(endpoint: endpoint, state: .open, banner: bytes)
        case .refused:
            return PortResult(endpoint: endpoint, state: .closed, note: "port unreachable")
        case .silent:
            return PortResult(endpoint: endpoint, state: .openFiltered)
        case .failed(let failure):
            return PortResult(endpoint: endpoint, state: failure.portState == .unknown ? .unknown : .openFiltered,
                              note: failure.note, status: failure.status)
        }
    }
}
