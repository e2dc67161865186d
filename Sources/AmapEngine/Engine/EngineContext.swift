import AmapSignatures
import NIOCore
import NIOSSL

/// What every per-endpoint task shares: the settings, the planner and matcher, the event loops and the event sink.
struct EngineContext: Sendable {
    /// The normalized configuration.
    var configuration: ScanConfiguration
    /// Decides which probes go to a port.
    var planner: any ProbePlanner
    /// Names services from bytes.
    var matcher: any ResponseMatcher
    /// Where connections live.
    var group: any EventLoopGroup
    /// The TLS client context, shared by every TLS connection; nil when it could not be built.
    var tlsContext: NIOSSLContext?
    /// Delivers a scan event to the caller's stream.
    var emit: @Sendable (ScanEvent) -> Void
}
