import AmapModel
import AmapSignatures

/// A matcher built from regular expressions: every rule whose pattern matches the response is a hit, in rule order.
struct PatternMatcher: ResponseMatcher {
    struct Rule: Sendable {
        var pattern: CompiledPattern
        var service: String
        var isSoft = false
        /// Only for answers to this probe, when set.
        var probe: String?
    }

    var rules: [Rule]

    init(_ rules: [(String, String)], soft: [(String, String)] = []) throws {
        self.rules = try rules.map { Rule(pattern: try CompiledPattern($0.0), service: $0.1) }
            + soft.map { Rule(pattern: try CompiledPattern($0.0), service: $0.1, isSoft: true) }
    }

    func identify(_ response: [UInt8], probe: Probe, transport: Transport, tunnelled: Bool) -> [Identification] {
        rules.enumerated().compactMap { index, rule in
            guard rule.probe == nil || rule.probe == probe.name, rule.pattern.matches(response) else { return nil }
            return Identification(
                service: rule.service, isSoft: rule.isSoft,
                evidence: Evidence(probeName: probe.name, signature: SourceLocation(file: "rules", line: index + 1)))
        }
    }
}
