import AmapModel
import AmapSignatures
import Foundation
import Testing

/// One line of a `*.vectors` file.
struct SignatureVector: CustomStringConvertible {
    var file: String
    var line: Int
    var probe: String
    var transport: Transport
    var expectedService: String?
    var expectSoft: Bool
    var product: String?
    var version: String?
    var response: [UInt8]
    var source: String

    /// Where the bytes come from (the `source` field's prefix).
    enum Kind { case capture, heldOut, spec }

    /// `capture:` a real server here; `held-out:` a real server of an implementation the signatures were not
    /// written from; `spec:` built from the specification.
    var kind: Kind {
        if source.hasPrefix("held-out:") { return .heldOut }
        return source.hasPrefix("capture:") ? .capture : .spec
    }

    /// The answer of a server in a defensive state (the source says `[defensive]`).
    var isDefensive: Bool { source.contains("[defensive]") }

    var description: String { "\(file):\(line) (\(probe)/\(transport) -> \(expectedService ?? "no match"))" }
}

enum VectorFileError: Error, CustomStringConvertible {
    case malformed(file: String, line: Int, reason: String)
    var description: String {
        switch self {
        case .malformed(let file, let line, let reason): return "\(file):\(line): \(reason)"
        }
    }
}

enum VectorCorpus {
    static var fixtures: URL {
        get throws {
            let url = [Bundle.module.resourceURL, Bundle.module.bundleURL].compactMap { $0 }
                .flatMap { [$0.appendingPathComponent("Fixtures"), $0.appendingPathComponent("Resources/Fixtures")] }
                .first(where: { FileManager.default.fileExists(atPath: $0.path) })
            guard let url else {
                throw VectorFileError.malformed(file: "Fixtures", line: 0, reason: "resource bundle missing")
            }
            return url
        }
    }

    static func load() throws -> [SignatureVector] {
        let directory = try fixtures.appendingPathComponent("vectors")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".vectors") }.sorted()
        var vectors: [SignatureVector] = []
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
                if line.isEmpty || line.hasPrefix("#") { continue }
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 7 else {
                    throw VectorFileError.malformed(file: name, line: offset + 1,
                                                    reason: "expected 7 tab-separated fields, found \(fields.count)")
                }
                guard let transport = Transport(rawValue: fields[1]) else {
                    throw VectorFileError.malformed(file: name, line: offset + 1, reason: "proto must be tcp or udp")
                }
                var expected: String? = fields[2]
                var soft = false
                if fields[2] == "-" { expected = nil }
                if fields[2].hasPrefix("soft:") {
                    soft = true
                    expected = String(fields[2].dropFirst(5))
                }
                vectors.append(SignatureVector(
                    file: name, line: offset + 1, probe: fields[0], transport: transport,
                    expectedService: expected, expectSoft: soft,
                    product: fields[3] == "-" ? nil : fields[3], version: fields[4] == "-" ? nil : fields[4],
                    response: try decodeResponse(fields[5], file: name, line: offset + 1),
                    source: fields[6]))
                guard ["capture:", "held-out:", "spec:"].contains(where: { fields[6].hasPrefix($0) }) else {
                    throw VectorFileError.malformed(file: name, line: offset + 1,
                                                    reason: "source must start with capture:, held-out: or spec:")
                }
            }
        }
        return vectors
    }

    static func decodeResponse(_ field: String, file: String, line: Int) throws -> [UInt8] {
        if field.hasPrefix("hex:") {
            let digits = Array(field.dropFirst(4).filter { !$0.isWhitespace })
            guard digits.count % 2 == 0 else {
                throw VectorFileError.malformed(file: file, line: line, reason: "odd number of hex digits")
            }
            return try stride(from: 0, to: digits.count, by: 2).map { index in
                guard let byte = UInt8(String(digits[index...index + 1]), radix: 16) else {
                    throw VectorFileError.malformed(file: file, line: line, reason: "bad hex digits")
                }
                return byte
            }
        }
        if field.hasPrefix("file:") {
            let url = try fixtures.appendingPathComponent(String(field.dropFirst(5)))
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw VectorFileError.malformed(file: file, line: line, reason: "cannot read \(url.path)")
            }
            return [UInt8](data)
        }
        guard field.count >= 2, field.hasPrefix("\""), field.hasSuffix("\"") else {
            throw VectorFileError.malformed(file: file, line: line, reason: "response must be \"…\", hex: or file:")
        }
        var bytes: [UInt8] = []
        let body = Array(field.utf8.dropFirst().dropLast())
        var index = 0
        while index < body.count {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < body.count else {
                bytes.append(byte)
                index += 1
                continue
            }
            let next = body[index + 1]
            index += 2
            switch next {
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "0"): bytes.append(0x00)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): bytes.append(next)
            case UInt8(ascii: "x"):
                guard index + 2 <= body.count,
                    let value = UInt8(String(decoding: body[index..<index + 2], as: UTF8.self), radix: 16)
                else {
                    throw VectorFileError.malformed(file: file, line: line, reason: "bad \\x escape")
                }
                bytes.append(value)
                index += 2
            default:
                throw VectorFileError.malformed(file: file, line: line, reason: "unknown escape \\\(UnicodeScalar(next))")
            }
        }
        return bytes
    }
}

@Suite struct BuiltinVectorTests {
    @Test func builtinDatabaseLoadsWithoutErrors() throws {
        let result = try BuiltinDatabase.load()
        #expect(result.errors.isEmpty, "\(result.errors.map(\.description).joined(separator: "\n"))")
        // Nor warnings: `amap -v` prints them, and a user should never be warned about the shipped database.
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    }

    @Test func everyVectorIdentifiesAsExpectedAndEverySignatureHasOne() throws {
        let database = try BuiltinDatabase.load().database
        let matcher = NmapMatcher(database: database)
        let vectors = try VectorCorpus.load()
        var hit: Set<AmapModel.SourceLocation> = []
        for vector in vectors {
            guard let probe = database.probe(named: vector.probe, transport: vector.transport)
                ?? (vector.probe == "NULL" ? NmapProbePlanner.syntheticNull : nil)
            else {
                Issue.record("\(vector): no built-in probe \(vector.probe)/\(vector.transport)")
                continue
            }
            let result = matcher.identify(vector.response, probe: probe, transport: vector.transport, tunnelled: false)
            guard let expected = vector.expectedService else {
                #expect(result.isEmpty, "\(vector): expected no match, got \(result.map(\.service))")
                continue
            }
            guard let first = result.first else {
                Issue.record("\(vector): expected \(expected), got no match")
                continue
            }
            hit.insert(first.evidence.signature)
            #expect(first.service == expected, "\(vector)")
            #expect(first.isSoft == vector.expectSoft, "\(vector): soft/hard")
            #expect(first.version.product == vector.product, "\(vector): product")
            #expect(first.version.version == vector.version, "\(vector): version")
        }
        var missing: [String] = []
        for probe in database.probes {
            for signature in probe.signatures where !hit.contains(signature.location) {
                missing.append("\(signature.location) \(signature.service)")
            }
        }
        #expect(missing.isEmpty, "signatures without a vector that reaches them:\n\(missing.joined(separator: "\n"))")
    }
}
