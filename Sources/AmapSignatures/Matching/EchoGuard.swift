/// Recognises a port that sends our own probe back (an echo service, or a proxy reflecting the request).
///
/// Its bytes must never be matched: the echo of an HTTP request would otherwise look like whatever the request
/// resembles. amap needed `echo` signature lines, ordered first, for this (and raced, bug B16).
public enum EchoGuard {
    /// True when `response` is our probe's payload sent back, whole or in part.
    public static func isEcho(_ response: [UInt8], of probe: Probe) -> Bool {
        guard !probe.payload.isEmpty, !response.isEmpty else { return false }
        if response.count <= probe.payload.count {
            return probe.payload.starts(with: response)
        }
        // Line-echo services may repeat the payload; all of it must be copies.
        var index = 0
        while index < response.count {
            let end = min(index + probe.payload.count, response.count)
            guard response[index..<end].elementsEqual(probe.payload[0..<(end - index)]) else { return false }
            index = end
        }
        return true
    }
}
