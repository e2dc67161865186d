import AmapSignatures
import NIOCore

/// One open TCP (or TLS) connection as the per-endpoint task sees it: the channel and the events its
/// `ProbeExchangeHandler` reports.
///
/// Used by one task only; the iterator is never shared.
struct TCPSession {
    /// How an exchange ended.
    enum End: Sendable, Hashable {
        /// The reader said it has what it needs (a match, TLS seen).
        case satisfied
        /// The wait ran out; the connection is still open.
        case deadline
        /// The byte cap was reached.
        case capReached
        /// The peer closed or reset the connection.
        case closed
        /// The scan was cancelled.
        case cancelled
    }

    /// What one exchange produced.
    struct Outcome: Sendable, Hashable {
        /// Everything received, at most the byte cap.
        var bytes: [UInt8]
        /// Why reading stopped.
        var end: End
    }

    /// The channel.
    let channel: any Channel
    /// True for a TLS connection.
    let isTLS: Bool
    /// When the connection was established (for tcpwrapped timing).
    let connectedAt: ContinuousClock.Instant
    /// Through a proxy: the time from the tunnel request to the proxy's reply (a round trip to the target through
    /// the proxy); nil for a direct connection.
    var tunnelRoundTrip: Duration?
    private var events: AsyncStream<ExchangeEvent>.AsyncIterator
    private let delivered: DeliveredByteCount
    private let gauge: ResponseMemoryGauge?
    private let byteCap: Int
    private var exchange = 0
    private var pendingFirst: Bool
    /// False once the peer closed the connection or it was closed here.
    private(set) var isOpen = true

    /// Wraps a connected channel whose handler reports to `events` through `sink` and keeps at most `byteCap` bytes
    /// of an answer; `firstBegun` says whether the handler was created with its first exchange. `gauge`, when given,
    /// is told how many response bytes the session holds after every read.
    init(
        channel: any Channel,
        events: AsyncStream<ExchangeEvent>,
        sink: ExchangeEventSink,
        byteCap: Int,
        isTLS: Bool,
        firstBegun: Bool,
        gauge: ResponseMemoryGauge? = nil
    ) {
        self.channel = channel
        self.events = events.makeAsyncIterator()
        self.delivered = sink.delivered
        self.byteCap = byteCap
        self.gauge = gauge
        self.isTLS = isTLS
        self.connectedAt = .now
        self.pendingFirst = firstBegun
    }

    /// Starts an exchange (unless the connection was created with it) and reads its answer, calling `onData` with
    /// everything received so far after every read (the session's one buffer, not a copy per read); `onData`
    /// returns true when it needs no more bytes.
    mutating func exchange(
        _ request: BeginExchange,
        onData: ([UInt8]) -> Bool
    ) async -> Outcome {
        if pendingFirst {
            pendingFirst = false
            exchange = 1
        } else {
            exchange += 1
            channel.triggerUserOutboundEvent(request, promise: nil)
        }
        var answer = ResponseBuffer(cap: byteCap)
        while isOpen {
            guard let event = await events.next() else {
                isOpen = false
                return Outcome(bytes: answer.take(), end: Task.isCancelled ? .cancelled : .closed)
            }
            if case .received(_, let chunk, _) = event { delivered.taken(chunk.count) }
            switch event {
            // Bytes that arrived before the first exchange began (exchange 0: a banner) are its answer, and the peer
            // may have closed before the NULL probe starts: a server that greets and closes must keep its banner.
            case .received(let number, let chunk, let capReached)
                where number == exchange || (number == 0 && exchange == 1):
                answer.append(chunk)
                gauge?.observe(bytesHeld: answer.bytes.count + delivered.value)
                if onData(answer.bytes) { return Outcome(bytes: answer.take(), end: .satisfied) }
                if capReached || answer.isFull { return Outcome(bytes: answer.take(), end: .capReached) }
            case .deadlineReached(let number) where number == exchange:
                return Outcome(bytes: answer.take(), end: .deadline)
            case .closed:
                isOpen = false
                return Outcome(bytes: answer.take(), end: .closed)
            default:
                continue
            }
        }
        return Outcome(bytes: answer.take(), end: .closed)
    }

    /// Waits for the TLS handshake; returns nil once it completed, else why it did not.
    mutating func awaitHandshake() async -> ConnectAttemptFailure? {
        var lastError: ExchangeError?
        while let event = await events.next() {
            switch event {
            case .tlsHandshakeCompleted:
                return nil
            case .tlsHandshakeTimedOut:
                return .tlsFailed(.timedOut)
            case .failed(_, let failure):
                lastError = failure
            case .closed:
                isOpen = false
                return .tlsFailed(lastError?.handshakeFailure ?? .peerClosed)
            default:
                continue
            }
        }
        isOpen = false
        return .tlsFailed(lastError?.handshakeFailure ?? .peerClosed)
    }

    /// Closes at once (a reset, because of SO_LINGER 0), skipping any TLS shutdown, and returns once the socket
    /// is closed, so that the endpoint's slot really frees its file descriptor before the next endpoint starts.
    mutating func close() async {
        isOpen = false
        channel.triggerUserOutboundEvent(ImmediateCloseHandler.AbortConnection(), promise: nil)
        try? await channel.closeFuture.get()
    }
}
