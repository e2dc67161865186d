import AmapEngine
import AmapModel
import AmapSignatures

/// Sends inputs to a port that answers nothing it is sent by the known probes, one connection (or datagram) per
/// input, until one draws a response: the network half of `amap learn`. ``SignatureProposal`` turns the answer
/// into a signature.
public struct ServiceLearner: Sendable {
    /// How long to wait and how far to go.
    public struct Limits: Sendable, Hashable {
        /// Wait for a response after each send (and for a banner when nothing is sent).
        public var waitMilliseconds: Int
        /// Pause between two inputs, so a fragile service is not flooded (amapcrap's `-N`).
        public var pauseMilliseconds: Int
        /// Give up after this long in total.
        public var maximumDuration: Duration
        /// Connect timeout per input.
        public var connectTimeoutMilliseconds: Int

        /// Creates limits.
        public init(
            waitMilliseconds: Int = Limits.defaultWaitMilliseconds,
            pauseMilliseconds: Int = Limits.defaultPauseMilliseconds,
            maximumDuration: Duration = .seconds(Limits.defaultMaximumSeconds),
            connectTimeoutMilliseconds: Int = ScanConfiguration.defaultConnectTimeoutMilliseconds
        ) {
            self.waitMilliseconds = waitMilliseconds
            self.pauseMilliseconds = pauseMilliseconds
            self.maximumDuration = maximumDuration
            self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        }

        /// The wait per input (`amap learn -w`).
        public static let defaultWaitMilliseconds = 500
        /// The pause between inputs (`amap learn -N`).
        public static let defaultPauseMilliseconds = 1
        /// The bound on a whole run, in seconds (`amap learn --max-time`).
        public static let defaultMaximumSeconds = 120
    }

    /// How a learning run ended.
    public enum Outcome: Sendable, Hashable {
        /// `input` drew `response`; `attempts` inputs were sent in all.
        case answered(input: LearningInput, response: [UInt8], attempts: Int)
        /// Every input was tried without an answer.
        case exhausted(attempts: Int)
        /// ``Limits/maximumDuration`` passed first.
        case timedOut(attempts: Int)
        /// The port refused the connection (or, for UDP, the datagram): nothing listens.
        case closed(note: String)
    }

    /// The limits in force.
    public let limits: Limits

    /// A learner with `limits`.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Tries `inputs` in order on `endpoint` until one draws a response. `attempted` is called before each send.
    public func learn(
        _ endpoint: Endpoint,
        inputs: [LearningInput],
        attempted: @Sendable (Int, LearningInput) -> Void = { _, _ in }
    ) async -> Outcome {
        let clock = ContinuousClock()
        let deadline = clock.now + limits.maximumDuration
        var attempts = 0
        for input in inputs where !(endpoint.transport == .udp && input.payload.isEmpty) {
            guard clock.now < deadline, !Task.isCancelled else { return .timedOut(attempts: attempts) }
            if attempts > 0 && limits.pauseMilliseconds > 0 {
                try? await Task.sleep(for: .milliseconds(limits.pauseMilliseconds))
            }
            attempts += 1
            attempted(attempts, input)
            let result = await exchange(input, with: endpoint)
            switch result.state {
            case .closed:
                return .closed(note: result.note ?? "connection refused")
            default:
                if let banner = result.banner, !banner.isEmpty {
                    return .answered(input: input, response: banner, attempts: attempts)
                }
            }
        }
        return clock.now < deadline ? .exhausted(attempts: attempts) : .timedOut(attempts: attempts)
    }

    /// One input on one fresh connection, through the scan engine with a plan of just that input and a matcher
    /// that names nothing, so whatever comes back is reported as the port's first response.
    func exchange(_ input: LearningInput, with endpoint: Endpoint) async -> PortResult {
        let probe = Probe(
            name: input.payload.isEmpty ? "NULL" : SignatureProposal.learnedProbeName,
            transport: endpoint.transport,
            payload: input.payload,
            location: SourceLocation(file: "amap learn", line: 0)
        )
        let configuration = ScanConfiguration(
            mode: .map,
            window: 1,
            connectTimeoutMilliseconds: limits.connectTimeoutMilliseconds,
            connectAttempts: 1,
            responseTimeoutMilliseconds: limits.waitMilliseconds,
            bannerWaitMilliseconds: limits.waitMilliseconds,
            stopAtFirstIdentification: true,
            reportAllMatches: false,
            tlsPass: false,
            udpRetransmits: 0,
            timing: .fixed
        )
        let engine = ScanEngine(
            configuration: configuration, planner: OneProbePlanner(probe: probe), matcher: NamesNothing())
        return await engine.probe(endpoint) { _ in }
    }
}

/// A plan of exactly one probe, whatever the port.
private struct OneProbePlanner: ProbePlanner {
    let probe: Probe

    func plan(port: UInt16, transport: Transport, tunnelled: Bool, softMatchedService: String?) -> [Probe] {
        transport == probe.transport && softMatchedService == nil ? [probe] : []
    }
}

/// A matcher without signatures: every response stays unrecognised.
private struct NamesNothing: ResponseMatcher {
    func identify(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool) -> [Identification] {
        []
    }
}
