import AmapModel

/// Wraps a planner so that, over plain TCP, a modern TLS ClientHello goes out right after the banner wait.
///
/// nmap's database only has an SSLv3-era hello, which OpenSSL 3 servers drop without a word (nmap 7.93 reports
/// Dovecot's IMAPS as unknown for that reason; amap's SSLv2 hello fails the same way, its bug B3). Any TLS record in
/// the answer makes the engine restart inside TLS, whatever database is in use.
public struct TLSHelloPlanner: ProbePlanner {
    /// The planner whose order is kept.
    public let base: any ProbePlanner
    /// The ClientHello probe to add.
    public let hello: Probe

    /// Creates the wrapper.
    public init(base: any ProbePlanner, hello: Probe) {
        self.base = base
        self.hello = hello
    }

    /// The base plan with `hello` inserted after the NULL probe (TCP, outside TLS, unless the plan has it already).
    public func plan(port: UInt16, transport: Transport, tunnelled: Bool, softMatchedService: String?) -> [Probe] {
        var probes = base.plan(port: port, transport: transport, tunnelled: tunnelled,
                               softMatchedService: softMatchedService)
        guard transport == .tcp, !tunnelled, softMatchedService == nil, !probes.isEmpty,
            !probes.contains(where: { $0.payload == hello.payload })
        else { return probes }
        let position = probes.first?.isNull == true ? 1 : 0
        probes.insert(hello, at: position)
        return probes
    }
}
