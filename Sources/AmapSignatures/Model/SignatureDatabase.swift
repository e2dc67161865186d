import AmapModel

/// Every probe and signature the scan may use, from any number of files in any of the three formats.
///
/// nmap-style probes carry their own signatures (`Probe.signatures`) and are matched with nmap's rules
/// (own lines, fallbacks, NULL). amap-style response lines are global (`responseSignatures`) and are tried
/// against every response of their transport whose trigger they admit.
public struct SignatureDatabase: Sendable {
    /// Probes in load order (nmap's file order is its send order).
    public var probes: [Probe]
    /// amap-style response signatures, in file order.
    public var responseSignatures: [Signature]
    /// ONC-RPC programs for the RPC pass.
    public var rpcPrograms: [RPCProgram]
    /// Ports excluded from probing (nmap `Exclude`), per transport.
    public var excludedTCPPorts: PortSet
    /// Excluded UDP ports.
    public var excludedUDPPorts: PortSet
    /// Names of the files the database was built from, in order.
    public var sources: [String]

    /// Creates a database.
    public init(
        probes: [Probe] = [],
        responseSignatures: [Signature] = [],
        rpcPrograms: [RPCProgram] = [],
        excludedTCPPorts: PortSet = PortSet(),
        excludedUDPPorts: PortSet = PortSet(),
        sources: [String] = []
    ) {
        self.probes = probes
        self.responseSignatures = responseSignatures
        self.rpcPrograms = rpcPrograms
        self.excludedTCPPorts = excludedTCPPorts
        self.excludedUDPPorts = excludedUDPPorts
        self.sources = sources
    }

    /// Appends everything from `other` after this database's entries.
    public mutating func merge(_ other: SignatureDatabase) {
        probes += other.probes
        responseSignatures += other.responseSignatures
        rpcPrograms += other.rpcPrograms
        excludedTCPPorts.formUnion(other.excludedTCPPorts)
        excludedUDPPorts.formUnion(other.excludedUDPPorts)
        sources += other.sources
    }

    /// The first probe with this name on this transport.
    public func probe(named name: String, transport: Transport) -> Probe? {
        probes.first { $0.name == name && $0.transport == transport }
    }

    /// The NULL probe for TCP, if the database has one.
    public var nullProbe: Probe? { probes.first { $0.transport == .tcp && $0.isNull } }

    /// The number of signatures of every kind.
    public var signatureCount: Int { probes.reduce(responseSignatures.count) { $0 + $1.signatures.count } }

    /// The distinct service names any signature can report.
    public var serviceNames: Set<String> {
        var names = Set(responseSignatures.map(\.service))
        for probe in probes { names.formUnion(probe.signatures.map(\.service)) }
        return names
    }
}

/// A loaded database with everything the loader had to say about the files.
public struct LoadResult: Sendable {
    /// What loaded.
    public var database: SignatureDatabase
    /// Warnings and skipped lines, in file order.
    public var diagnostics: [LoadDiagnostic]

    /// Creates a result.
    public init(database: SignatureDatabase, diagnostics: [LoadDiagnostic]) {
        self.database = database
        self.diagnostics = diagnostics
    }

    /// Only the errors.
    public var errors: [LoadDiagnostic] { diagnostics.filter { $0.severity == .error } }
}
