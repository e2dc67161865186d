/// Where a connection handler sends its `ExchangeEvent`s: usually the continuation of the stream the engine reads.
///
/// Both closures are `@Sendable` because the handler calls them on its event loop while the reader is elsewhere.
struct ExchangeEventSink: Sendable {
    /// Delivers one event.
    var yield: @Sendable (ExchangeEvent) -> Void
    /// Ends the event stream; called once, when the handler leaves the pipeline.
    var finish: @Sendable () -> Void
    /// The bytes of `.received` events delivered and not yet taken by the reader.
    var delivered = DeliveredByteCount()

    /// A sink feeding a new `AsyncStream`. The stream is unbounded as a queue of events, but the bytes in it are not:
    /// each `.received` carries only new bytes, and a handler delivers at most one byte cap per exchange before it
    /// stops reading its socket.
    static func stream() -> (AsyncStream<ExchangeEvent>, ExchangeEventSink) {
        let (stream, continuation) = AsyncStream.makeStream(of: ExchangeEvent.self)
        let delivered = DeliveredByteCount()
        let sink = ExchangeEventSink(
            yield: { event in
                if case .received(_, let bytes, _) = event { delivered.delivered(bytes.count) }
                continuation.yield(event)
            },
            finish: { continuation.finish() },
            delivered: delivered
        )
        return (stream, sink)
    }
}
