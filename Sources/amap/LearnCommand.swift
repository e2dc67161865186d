import AmapKit
import ArgumentParser
import Foundation

/// `amap learn TARGET PORT`: finds an input a silent service answers and proposes a signature for it (amap's
/// amapcrap, with structured openers before random bytes and a signature in the nmap-service-probes grammar).
struct LearnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Find an input a silent port answers and propose a signature for it.",
        discussion: """
            Sends, one connection each, common protocol openers (a banner wait, CRLF, HTTP GET, HELP, JSON, a TLS \
            hello, NUL bytes, length-prefixed headers, QUIT, ...) and then -n seeded random payloads, until one \
            draws a response. Prints a Probe line and a match line in the nmap-service-probes grammar (the \
            response's first line, version-like numbers captured as v/$1/). Review the proposal before adding it \
            to a database (--nmap-db FILE loads it). Exits 1 if nothing answered.
            """
    )

    @Flag(name: .customShort("u"), help: "The port is UDP.")
    var udp = false
    @Option(name: .customShort("n"), help: ArgumentHelp("Random inputs after the structured ones.",
                                                        valueName: "N"))
    var randomCount = 100
    @Option(name: .customShort("N"), help: ArgumentHelp(
        "Pause between inputs in milliseconds (default \(ServiceLearner.Limits.defaultPauseMilliseconds)).",
        valueName: "MS"))
    var pauseMilliseconds: Int?
    @Option(name: .customShort("w"), help: ArgumentHelp(
        "Wait for a response in milliseconds (default \(ServiceLearner.Limits.defaultWaitMilliseconds)).",
        valueName: "MS"))
    var waitMilliseconds: Int?
    @Option(name: .customShort("M"), help: ArgumentHelp("Random payload lengths MIN,MAX, 1 to 1024.",
                                                        valueName: "MIN,MAX"))
    var lengthText = "3,256"
    @Option(name: .customShort("m"), help: ArgumentHelp("Random payload kinds: 0 NUL bytes, a text lines, b binary.",
                                                        valueName: "KINDS"))
    var kindText = "0ab"
    @Option(name: .customLong("seed"), help: ArgumentHelp("Seed of the random inputs (fixed, so runs repeat).",
                                                          valueName: "S"))
    var seed: UInt64 = 0
    @Option(name: .customLong("max-time"), help: ArgumentHelp(
        "Give up after this many seconds (default \(ServiceLearner.Limits.defaultMaximumSeconds)).", valueName: "SEC"))
    var maximumSeconds: Int?
    @Option(name: .customLong("service"), help: ArgumentHelp("Service name of the proposed match line "
                                                             + "(default: the response's first word).",
                                                             valueName: "NAME"))
    var service: String?
    @Option(name: .customShort("o"), help: ArgumentHelp("Also write the proposal to FILE.", valueName: "FILE"),
            completion: .file())
    var outputFile: String?
    @Flag(name: .customShort("v"), help: "Print each input as it is sent.")
    var verbose = false

    @Argument(help: "The host (address or name).")
    var target: String
    @Argument(help: "The port.")
    var port: UInt16

    func validate() throws {
        _ = try lengths
        _ = try kinds
        if randomCount < 0 { throw ValidationError("-n needs 0 or more random inputs (got \(randomCount))") }
        if let pauseMilliseconds, pauseMilliseconds < 0 || pauseMilliseconds > 60_000 {
            throw ValidationError("-N needs 0 to 60000 milliseconds (got \(pauseMilliseconds))")
        }
        if let waitMilliseconds, waitMilliseconds < 1 || waitMilliseconds > 60_000 {
            throw ValidationError("-w needs 1 to 60000 milliseconds (got \(waitMilliseconds))")
        }
        if let maximumSeconds, maximumSeconds < 1 {
            throw ValidationError("--max-time needs at least 1 second (got \(maximumSeconds))")
        }
        if let service, service.isEmpty || service.contains(where: { $0.isWhitespace }) {
            throw ValidationError("--service needs a name without spaces (got '\(service)')")
        }
    }

    var lengths: ClosedRange<Int> {
        get throws {
            let parts = lengthText.split(separator: ",").map { Int($0) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], 1 <= low, low <= high, high <= 1024 else {
                throw ValidationError("-M needs MIN,MAX with 1 <= MIN <= MAX <= 1024 (got '\(lengthText)')")
            }
            return low...high
        }
    }

    var kinds: [LearningInputs.RandomKind] {
        get throws {
            let kinds = kindText.map { LearningInputs.RandomKind(rawValue: $0) }
            guard !kinds.isEmpty, kinds.allSatisfy({ $0 != nil }) else {
                throw ValidationError("-m takes the letters 0 (NUL bytes), a (text) and b (binary), e.g. -m ab")
            }
            return Array(Set(kinds.compactMap { $0 })).sorted { $0.rawValue < $1.rawValue }
        }
    }

    /// `-w`, `-N` and `--max-time` over the library's limits.
    var limits: ServiceLearner.Limits {
        var limits = ServiceLearner.Limits()
        if let waitMilliseconds { limits.waitMilliseconds = waitMilliseconds }
        if let pauseMilliseconds { limits.pauseMilliseconds = pauseMilliseconds }
        if let maximumSeconds { limits.maximumDuration = .seconds(maximumSeconds) }
        return limits
    }

    func run() async throws {
        let transport: Transport = udp ? .udp : .tcp
        let addresses = try await EndpointResolver.addresses(of: target)
        guard let address = addresses.first else {
            throw EndpointResolver.ResolveError(host: target, reason: "no address")
        }
        let endpoint = Endpoint(host: target, address: address, port: port, transport: transport)
        let inputs = LearningInputs.structured
            + LearningInputs.random(count: randomCount, seed: seed, lengths: try lengths, kinds: try kinds)
        let learner = ServiceLearner(limits: limits)
        let verbose = self.verbose
        Terminal.standardError(
            "amap learn: \(endpoint): up to \(inputs.count) inputs, \(learner.limits.waitMilliseconds) ms each")
        let outcome = await learner.learn(endpoint, inputs: inputs) { attempt, input in
            if verbose { Terminal.standardError("  \(attempt): \(input.name) (\(input.payload.count) bytes)") }
        }
        switch outcome {
        case .answered(let input, let response, let attempts):
            Terminal.standardError("amap learn: input \(attempts) (\(input.name)) drew \(response.count) bytes")
            let proposal = SignatureProposal(
                payload: input.payload, response: response, transport: transport, port: port, service: service)
            Terminal.standardOutput(proposal.fileText)
            if let outputFile {
                guard FileManager.default.createFile(atPath: outputFile, contents: Data(proposal.fileText.utf8)) else {
                    throw CLIError.outputUnwritable(path: outputFile, reason: String(cString: strerror(errno)))
                }
            }
        case .exhausted(let attempts):
            Terminal.standardError("amap learn: no answer to any of \(attempts) inputs; try more (-n), longer "
                + "waits (-w) or other kinds (-m)")
            throw ExitCode.failure
        case .timedOut(let attempts):
            let seconds = learner.limits.maximumDuration.components.seconds
            Terminal.standardError("amap learn: gave up after \(seconds) s and \(attempts) inputs (--max-time)")
            throw ExitCode.failure
        case .closed(let note):
            Terminal.standardError("amap learn: \(endpoint) is closed (\(note)); learn needs a port that accepts")
            throw ExitCode.failure
        }
    }
}
