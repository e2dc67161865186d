/// A problem the engine warns about during a scan: a ``Kind`` a program can switch on, and the words the reports
/// print (``description``).
///
/// ```swift
/// case .warning(let endpoint, let warning) where warning.kind == .localResourcesExhausted:
///     // raise the open-file limit, or scan with a smaller window
/// ```
public struct ScanWarning: Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable, CaseIterable {
        /// The TLS pass cannot run in this scan (no TLS client context could be built); ports are probed in the
        /// clear only.
        case tlsPassUnavailable
        /// A connection failed for lack of a local resource (open files, ephemeral ports, buffers) and waits to be
        /// tried again; not the port's fault.
        case localResourcesRetrying
        /// A port's probing ended for lack of a local resource; its state is `unknown`.
        case localResourcesExhausted
        /// The TLS pass of a port that spoke TLS in the clear could not connect or shake hands.
        case tlsPassFailed
        /// A UDP port's exchange failed (a socket error); its result carries the same note.
        case datagramExchangeFailed
        /// The proxy failed (unreachable, credentials refused): the scan stops.
        case proxyFailed
    }

    /// What went wrong, for a program to act on.
    public var kind: Kind
    /// The warning in words, as the reports print it (`local resources exhausted, retrying: …`).
    public var description: String

    /// Creates a warning of `kind` worded `description`.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
