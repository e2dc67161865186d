import AmapTestSupport
import Foundation

/// What one scan left behind: stdout (amap's human lines), stderr, and the files it was asked to write.
struct ScanOutput: Sendable {
    let run: AmapRun
    /// The `-oJ FILE` JSON Lines, empty when not asked for.
    let json: String
    /// The `-m -o FILE` machine log, empty when not asked for.
    let machine: String
}

/// The expensive scans, each run at most once per test run and shared by every test that asserts on it.
///
/// The first test to ask starts the scan; the others await the same task.
actor SharedScans {
    static let shared = SharedScans()

    /// Time allowed for one whole-table scan; the scans still wait a fixed time per probe (~95 s measured for the
    /// IPv4 TCP rows with --nmap), so this leaves room until adaptive waits land.
    static let fullScanLimit: Duration = .seconds(150)

    private var tasks: [String: Task<ScanOutput, any Error>] = [:]

    /// The IPv4 TCP rows of the table: every daemon, the silent port and the closed port.
    static var tcpRows: [DaemonRow] { DaemonTable.rows(address: "127.0.0.1", proto: "tcp") }
    static var udpRows: [DaemonRow] { DaemonTable.rows(address: "127.0.0.1", proto: "udp") }
    static var ipv6TCPRows: [DaemonRow] { DaemonTable.rows(address: "::1", proto: "tcp") }
    static var ipv6UDPRows: [DaemonRow] { DaemonTable.rows(address: "::1", proto: "udp") }

    /// `amap --nmap -oJ J -m -o M 127.0.0.1 <every IPv4 TCP port>`: human lines, JSON Lines and the machine log of
    /// one run.
    func tcpIPv4() async throws -> ScanOutput {
        try await once("tcp4") {
            try await Self.scan(["--nmap"], address: "127.0.0.1", rows: Self.tcpRows, machine: true)
        }
    }

    /// `amap --nmap -u -oJ J 127.0.0.1 <every IPv4 UDP port>`.
    func udpIPv4() async throws -> ScanOutput {
        try await once("udp4") {
            try await Self.scan(["--nmap", "-u"], address: "127.0.0.1", rows: Self.udpRows, machine: false)
        }
    }

    /// `amap --nmap -6 -oJ J ::1 <every IPv6 TCP port>`.
    func tcpIPv6() async throws -> ScanOutput {
        try await once("tcp6") {
            try await Self.scan(["--nmap", "-6"], address: "::1", rows: Self.ipv6TCPRows, machine: false)
        }
    }

    /// `amap --nmap -6 -u -oJ J ::1 <every IPv6 UDP port>`.
    func udpIPv6() async throws -> ScanOutput {
        try await once("udp6") {
            try await Self.scan(["--nmap", "-6", "-u"], address: "::1", rows: Self.ipv6UDPRows, machine: false)
        }
    }

    private func once(_ key: String, _ body: @escaping @Sendable () async throws -> ScanOutput) async throws
        -> ScanOutput
    {
        if let task = tasks[key] { return try await task.value }
        let task = Task { try await body() }
        tasks[key] = task
        return try await task.value
    }

    private static func scan(_ flags: [String], address: String, rows: [DaemonRow], machine: Bool) async throws
        -> ScanOutput
    {
        let scratch = try Scratch()
        let jsonPath = scratch.file("scan.jsonl").path
        let machinePath = scratch.file("scan.amap-m").path
        var arguments = flags + ["-oJ", jsonPath]
        if machine { arguments += ["-m", "-o", machinePath] }
        arguments += [address] + DaemonTable.portArguments(rows)
        let run = try await AmapExecutable.run(arguments, timeout: fullScanLimit)
        let json = (try? String(contentsOfFile: jsonPath, encoding: .utf8)) ?? ""
        let machineText = machine ? ((try? String(contentsOfFile: machinePath, encoding: .utf8)) ?? "") : ""
        return ScanOutput(run: run, json: json, machine: machineText)
    }
}
