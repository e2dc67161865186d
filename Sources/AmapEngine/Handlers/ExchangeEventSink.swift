/// Where a connection handler sends its `ExchangeEvent`s: usually the continuation of the stream the engine reads.
///
/// Both closures are `@Sendable` because the handler calls them on its event loop while the reader is elsewhere.
struct ExchangeEventSink: Sendable {
    /// Delivers one event.
    var yield: @Sendable (ExchangeEvent) -> Void
    /// Ends the event stream; called once, when the handler leaves the pipeline.
    var finish: @Sendable () -> Void

    /// A sink feeding a new unbounded `AsyncStream` (bounded in practice: each event is at most one byte cap).
    static func stream() -> (AsyncStream<ExchangeEvent>, ExchangeEventSink) {
        let (stream, continuation) = AsyncStream.makeStream(of: ExchangeEvent.self)
        let sink = ExchangeEventSink(
            yield: { continuation.yield($0) },
            finish: { continuation.finish() }
        )
        return (stream, sink)
    }
}
