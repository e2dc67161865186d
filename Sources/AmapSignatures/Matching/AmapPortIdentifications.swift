/// amap's per-port bookkeeping rules, as pure functions: which of a response's hits a port actually gains.
public enum AmapPortIdentifications {
    /// The hits a port gains, in order, given the services it already has.
    ///
    /// amap's rules: a port never gets the same ID twice (neither from an earlier response nor twice from one);
    /// a port that is already `echo` gains nothing more; with `-1` (`stopAtFirst`) only the first new ID of this
    /// response is taken (other responses in flight may still add more, as in amap).
    ///
    /// - Parameters:
    ///   - hits: the matcher's hits for one response, in line order.
    ///   - existing: the services the port already has, in any order.
    ///   - stopAtFirst: amap's `-1`.
    public static func admit<S: Sequence>(_ hits: [Identification], existing: S, stopAtFirst: Bool)
        -> [Identification] where S.Element == String
    {
        var known = Set(existing)
        if known.contains(AmapMatcher.echoService) { return [] }
        var admitted: [Identification] = []
        for hit in hits where known.insert(hit.service).inserted {
            admitted.append(hit)
            if stopAtFirst { break }
        }
        return admitted
    }
}
