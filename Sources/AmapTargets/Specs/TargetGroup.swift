/// Targets that share one port list: `127.0.0.1 localhost 22 80` is one group of two targets.
public struct TargetGroup: Sendable, Hashable {
    /// The targets, in the order given.
    public var targets: [TargetSpec]
    /// The ports scanned on every target of the group.
    public var ports: PortList

    /// Creates a group.
    public init(targets: [TargetSpec], ports: PortList) {
        self.targets = targets
        self.ports = ports
    }
}
