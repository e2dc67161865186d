import AmapModel
import AmapSignatures
import NIOCore
import NIOPosix

/// Sends one UDP probe from a fresh connected socket and reads the answers.
///
/// A connected socket is what makes an ICMP port unreachable visible: the kernel reports it as ECONNREFUSED on the
/// next read, which the handler turns into `.refused`. A plan that accepts any reply port (TFTP answers from a new
/// port) gets an unconnected socket instead, bound to the wildcard address of the target's family.
struct UDPExchange: Sendable {
    /// How the exchange ended.
    enum Outcome: Sendable, Hashable {
        /// Something came back (everything received, bounded by the cap); `satisfied` when the reader stopped early.
        case answered([UInt8], satisfied: Bool)
        /// ICMP port unreachable.
        case refused
        /// Nothing came back within the wait.
        case silent
        /// The socket could not be set up.
        case failed(ConnectAttemptFailure)
    }

    /// The shared engine state.
    var context: EngineContext

    /// Sends `plan` to `endpoint`; `onData` sees everything received so far after every datagram and returns true
    /// when it needs no more.
    func run(
        _ endpoint: Endpoint,
        plan: DatagramExchangeHandler.Plan,
        onData: ([UInt8]) -> Bool
    ) async -> Outcome {
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: endpoint.address, port: Int(endpoint.port))
        } catch {
            return .failed(.invalidAddress(String(describing: error)))
        }
        let (events, sink) = ExchangeEventSink.stream()
        let byteCap = context.configuration.responseByteCap
        let bootstrap = DatagramBootstrap(group: context.group).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    DatagramExchangeHandler(plan: plan, byteCap: byteCap, sink: sink,
                                            target: plan.acceptsAnyReplyPort ? address : nil))
            }
        }
        let limiter = context.connectionLimiter
        await limiter?.acquire()
        let channel: any Channel
        do {
            if plan.acceptsAnyReplyPort {
                let wildcard = address.protocol == .inet6 ? "::" : "0.0.0.0"
                channel = try await bootstrap.bind(host: wildcard, port: 0).get()
            } else {
                channel = try await bootstrap.connect(to: address).get()
            }
        } catch {
            await limiter?.release()
            sink.finish()
            return .failed(ConnectAttemptFailure.classify(error))
        }
        let outcome = await read(events, sink: sink, byteCap: byteCap, onData: onData)
        try? await channel.close()
        await limiter?.release()
        return outcome
    }

    private func read(
        _ events: AsyncStream<ExchangeEvent>,
        sink: ExchangeEventSink,
        byteCap: Int,
        onData: ([UInt8]) -> Bool
    ) async -> Outcome {
        var answer = ResponseBuffer(cap: byteCap)
        for await event in events {
            switch event {
            case .received(_, let chunk, let capReached):
                sink.delivered.taken(chunk.count)
                answer.append(chunk)
                context.responseMemory?.observe(bytesHeld: answer.bytes.count + sink.delivered.value)
                if onData(answer.bytes) { return .answered(answer.take(), satisfied: true) }
                if capReached || answer.isFull { return .answered(answer.take(), satisfied: false) }
            case .refused:
                return answer.bytes.isEmpty ? .refused : .answered(answer.take(), satisfied: false)
            case .deadlineReached, .closed:
                return answer.bytes.isEmpty ? .silent : .answered(answer.take(), satisfied: false)
            default:
                continue
            }
        }
        return answer.bytes.isEmpty ? .silent : .answered(answer.take(), satisfied: false)
    }

    /// The exchange plan for `payload` under the configuration's retransmit settings.
    func plan(payload: [UInt8], waitMilliseconds: Int, acceptsAnyReplyPort: Bool = false)
        -> DatagramExchangeHandler.Plan
    {
        DatagramExchangeHandler.Plan(
            payload: payload,
            waitMilliseconds: waitMilliseconds,
            retransmits: context.configuration.udpRetransmits,
            retransmitIntervalMilliseconds: context.configuration.udpRetransmitIntervalMilliseconds,
            acceptsAnyReplyPort: acceptsAnyReplyPort
        )
    }
}
