import AmapModel

/// An ONC-RPC program number and its name (amap's appdefs.rpc, our own table).
public struct RPCProgram: Sendable, Hashable, Codable {
    /// The program's name (`nfs`, `mountd`).
    public var name: String
    /// The program number (100003 for NFS).
    public var number: UInt32
    /// Where it was defined.
    public var location: SourceLocation

    /// Creates an entry.
    public init(name: String, number: UInt32, location: SourceLocation) {
        self.name = name
        self.number = number
        self.location = location
    }
}
