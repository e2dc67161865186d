import ArgumentParser

/// `--names`: which service names amap's human and `-m` lines print.
enum NameStyle: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// nmap's service names (`domain`, `postgresql`), the default: JSON, XML and grepable always use them.
    case nmap
    /// amap 5.4's protocol IDs (`dns`, `postgres`) where the service has one, for scripts that grep amap's lines.
    case amap
}
