#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (RLIMIT_NOFILE): every connection in flight is a file descriptor.
///
/// The library only reads it (``current()``), to size the automatic window; changing a process-wide limit is the
/// program's decision, so the `amap` command calls ``raiseSoftLimitToHardLimit()`` before it builds a scan, and a
/// program using the library may do the same.
public enum OpenFileLimit {
    /// The soft and hard limits after `raiseSoftLimitToHardLimit()`.
    public struct Limits: Sendable, Hashable {
        /// The limit in force.
        public var soft: UInt64
        /// The most the soft limit may be raised to without privileges.
        public var hard: UInt64
    }

    /// The limits in force, unchanged; nil when they cannot be read.
    public static func current() -> Limits? {
        var limits = rlimit()
        guard getrlimit(resource, &limits) == 0 else { return nil }
        return Limits(soft: UInt64(limits.rlim_cur), hard: UInt64(limits.rlim_max))
    }

    /// Raises the soft limit to the hard limit (Darwin: at most `OPEN_MAX`) and returns the limits now in force,
    /// or nil when they cannot be read. Failing to raise is not an error: the engine then requeues on EMFILE.
    @discardableResult
    public static func raiseSoftLimitToHardLimit() -> Limits? {
        var limits = rlimit()
        guard getrlimit(resource, &limits) == 0 else { return nil }
        var target = limits.rlim_max
        #if canImport(Darwin)
        // Darwin rejects RLIM_INFINITY for RLIMIT_NOFILE; OPEN_MAX is the documented ceiling (setrlimit(2)).
        target = min(target, rlim_t(OPEN_MAX))
        #endif
        if limits.rlim_cur < target {
            var raised = limits
            raised.rlim_cur = target
            if setrlimit(resource, &raised) == 0 { limits = raised }
        }
        return Limits(soft: UInt64(limits.rlim_cur), hard: UInt64(limits.rlim_max))
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
