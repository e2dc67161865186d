import Testing

@testable import AmapSignatures

@Suite struct SignatureProposalTests {
    @Test func escapesProbeStringsSoTheLoaderReadsBackTheSameBytes() throws {
        let payload: [UInt8] = Array("GET /a|b\\c HTTP/1.0\r\n\t".utf8) + [0, 0x31, 0x7F, 0xFF, 0x80]
        let text = ProbeStringEscaping.escape(payload)
        #expect(text == "GET /a\\x7cb\\\\c HTTP/1.0\\r\\n\\t\\01\\x7f\\xff\\x80")
        #expect(try ProbeStringUnescaper.unescape(Array(text.utf8)).bytes == payload)
    }

    @Test func escapesRegexMetacharactersAndTheDelimiter() {
        let text = RegexLiteralEscaping.escape(Array("a.b*c?(d)[e]{f}^$+|\\ #-/\r\n".utf8) + [0x00, 0xFE])
        #expect(text == "a\\.b\\*c\\?\\(d\\)\\[e\\]\\{f\\}\\^\\$\\+\\x7c\\\\ #-/\\r\\n\\x00\\xfe")
    }

    @Test func proposesAnchoredPatternWithVersionCaptures() {
        let proposal = SignatureProposal(
            payload: Array("HELP\r\n".utf8), response: Array("XYZZY-SERVER 4.2.1 ready (build 7.0)\r\nmore\r\n".utf8),
            transport: .tcp, port: 4242)
        #expect(proposal.probeLine == "Probe TCP Learned q|HELP\\r\\n|")
        #expect(proposal.service == "xyzzy-server")
        #expect(proposal.versions == ["4.2.1", "7.0"])
        #expect(proposal.matchLine
            == "match xyzzy-server m|^XYZZY-SERVER ([\\d.]+) ready \\(build ([\\d.]+)\\)\\r\\n| v/$1/")
        #expect(proposal.fileText.contains("\nports 4242\n"))
    }

    @Test func bannersUseTheNullProbeAndBinaryResponsesAreCut() {
        let banner = SignatureProposal(payload: [], response: [0x00, 0x01, 0x7C] + Array(repeating: 0x41, count: 60),
                                       transport: .tcp, service: "blob")
        #expect(banner.probeLine == "Probe TCP NULL q||")
        #expect(banner.matchLine == "match blob m|^\\x00\\x01\\x7c" + String(repeating: "A", count: 29) + "|")
        #expect(banner.versions.isEmpty)
        let numbers = SignatureProposal(payload: [1], response: Array("v12 1.2.3.4x 5. 6".utf8), transport: .udp)
        #expect(numbers.versions == ["1.2.3.4"])
        #expect(numbers.probeLine == "Probe UDP Learned q|\\x01|")
        #expect(numbers.service == "v12")
    }

    @Test func serviceNamesFromTheFirstWord() {
        func name(_ text: String) -> String { SignatureProposal.serviceName(from: Array(text.utf8)[...]) }
        #expect(name("220 FooBar-Mail- ready") == "foobar-mail")
        #expect(name("+OK x") == "ok")
        #expect(name("\u{1}\u{2}") == "unknown-learned")
    }

    @Test func learnedSignatureLoadsAndIdentifiesTheResponse() throws {
        let response = Array("XYZZY-SERVER 4.2.1 ready\r\n".utf8)
        let proposal = SignatureProposal(payload: Array("HELP\r\n".utf8), response: response, transport: .tcp,
                                         port: 4242)
        let result = try ServiceProbesLoader.load(bytes: Array(proposal.fileText.utf8), fileName: "learned.probes",
                                                  strict: true)
        let probe = try #require(result.database.probe(named: "Learned", transport: .tcp))
        #expect(probe.payload == Array("HELP\r\n".utf8))
        let identifications = NmapMatcher(database: result.database)
            .identify(response, probe: probe, transport: .tcp, tunnelled: false)
        #expect(identifications.first?.service == "xyzzy-server")
        #expect(identifications.first?.version.version == "4.2.1")
        let other = NmapMatcher(database: result.database)
            .identify(Array("XYZZY-CLIENT 4.2.1 ready\r\n".utf8), probe: probe, transport: .tcp, tunnelled: false)
        #expect(other.isEmpty)
    }

    @Test func structuredInputsComeFirstAndRandomInputsRepeatPerSeed() {
        #expect(LearningInputs.structured.first?.payload.isEmpty == true)
        #expect(LearningInputs.structured.contains { $0.payload == Array("HELP\r\n".utf8) })
        let hello = LearningInputs.tlsClientHello
        #expect(hello.count == 5 + Int(hello[3]) << 8 + Int(hello[4]))  // record length covers the body
        let first = LearningInputs.random(count: 50, seed: 9, lengths: 3...40)
        #expect(first == LearningInputs.random(count: 50, seed: 9, lengths: 3...40))
        #expect(first != LearningInputs.random(count: 50, seed: 10, lengths: 3...40))
        #expect(first.allSatisfy { (3...40).contains($0.payload.count) })
        let ascii = LearningInputs.random(count: 20, seed: 1, lengths: 5...9, kinds: [.ascii])
        #expect(ascii.allSatisfy { $0.payload.suffix(2) == [0x0D, 0x0A] && $0.payload.dropLast(2).allSatisfy {
            $0 == 0x20 || (0x61...0x7A).contains($0)
        } })
    }
}
