import AmapModel
import AmapSignatures
import Testing

/// Every directive of nmap-service-probes, on small files written for the tests.
@Suite struct ServiceProbesGrammarTests {
    static let fileName = "test-probes"

    static func load(_ text: String) throws -> LoadResult {
        try ServiceProbesLoader.load(bytes: Array(text.utf8), fileName: fileName)
    }

    @Test func everyDirectiveLoads() throws {
        let result = try Self.load("""
            # a comment line
            Exclude 7,T:9100-9102,U:161

            Probe TCP NULL q||
            totalwaitms 6000
            tcpwrappedms 3000
            match ftp m|^220 ([\\w.-]+) FTP ready\\r\\n| p/Acme ftpd/ h/$1/
            softmatch ftp m|^220 |

            Probe TCP GenericLines q|\\r\\n\\r\\n|
            rarity 1
            ports 21, 23 ,25-26
            ports 80
            sslports 990,993-995
            fallback NULL
            match echo m|^\\r\\n\\r\\n$| p/echo/

            Probe UDP Status q|\\x01\\0\\x02| no-payload
            rarity 9
            match status m|^\\x01(.)|s v/$I(1,">")/

            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let database = result.database
        #expect(database.sources == [Self.fileName])
        #expect(database.probes.map(\.name) == ["NULL", "GenericLines", "Status"])
        #expect(database.excludedTCPPorts == PortSet(ranges: [7...7, 9100...9102]))
        #expect(database.excludedUDPPorts == PortSet(ranges: [7...7, 161...161]))

        let null = database.probes[0]
        #expect(null.isNull && null.transport == .tcp)
        #expect(null.totalWaitMilliseconds == 6000 && null.tcpWrappedMilliseconds == 3000)
        #expect(null.rarity == Probe.defaultRarity)
        #expect(null.signatures.map(\.strength) == [.hard, .soft])
        #expect(null.signatures[0].templates.product == Array("Acme ftpd".utf8))
        #expect(null.signatures[0].templates.hostname == Array("$1".utf8))
        #expect(null.signatures[0].location == SourceLocation(file: Self.fileName, line: 7, column: 1))
        #expect(null.signatures[0].pattern.matches(Array("220 ftp.example FTP ready\r\n".utf8)))

        let lines = database.probes[1]
        #expect(lines.payload == Array("\r\n\r\n".utf8))
        #expect(lines.rarity == 1)
        #expect(lines.ports == PortSet(ranges: [21...21, 23...23, 25...26, 80...80]))
        #expect(lines.sslPorts == PortSet(ranges: [990...990, 993...995]))
        #expect(lines.fallbackNames == ["NULL"])
        #expect(lines.location == SourceLocation(file: Self.fileName, line: 10, column: 1))

        let status = database.probes[2]
        #expect(status.transport == .udp && status.isNoPayload && status.rarity == 9)
        #expect(status.payload == [0x01, 0x00, 0x02])
        #expect(status.signatures[0].transports == [.udp])
        #expect(status.signatures[0].pattern.options == .dotAll)
        #expect(status.signatures[0].pattern.matches([0x01, 0x0A]), "s flag: . matches \\n")
    }

    @Test func anyDelimiterWorksForProbesRegexesAndTemplates() throws {
        let result = try Self.load("""
            Probe TCP Pipe q/a|b/
            match one m=^x|y=i p|P/1| v/a=b/ i%c|d% cpe:/a:acme:thing/a
            match two m%^a/b%s o=Linux= d|router|
            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let probe = try #require(result.database.probes.first)
        #expect(probe.payload == Array("a|b".utf8))
        let one = probe.signatures[0]
        #expect(one.pattern.source == Array("^x|y".utf8))
        #expect(one.pattern.options == .caseless)
        #expect(one.pattern.matches(Array("X".utf8)))
        #expect(one.templates.product == Array("P/1".utf8))
        #expect(one.templates.version == Array("a=b".utf8))
        #expect(one.templates.info == Array("c|d".utf8))
        #expect(one.templates.cpes == [Array("cpe:/a:acme:thing".utf8)])
        let two = probe.signatures[1]
        #expect(two.pattern.source == Array("^a/b".utf8))
        #expect(two.pattern.options == .dotAll)
        #expect(two.templates.operatingSystem == Array("Linux".utf8))
        #expect(two.templates.deviceType == Array("router".utf8))
    }

    @Test func theRegexEndsAtTheFirstDelimiterWithoutEscaping() throws {
        // In `m|^a\| p/x/` the regex is `^a\` (a backslash does not escape the delimiter), which PCRE2 refuses.
        let result = try Self.load("Probe TCP P q|x|\nmatch two m|^a\\| p/x/\n")
        #expect(result.database.probes[0].signatures.isEmpty)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.contains("does not compile") == true)
    }

    @Test func probeStringEscapes() throws {
        // \\ \0 \n \r \t \xHH; "\01" is NUL then "1" (one NUL, the digit is literal).
        let result = try Self.load(#"Probe TCP E q|\\\0\n\r\t\x41\xfF\01|"# + "\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.database.probes.first?.payload == [0x5C, 0x00, 0x0A, 0x0D, 0x09, 0x41, 0xFF, 0x00, 0x31])
    }

    @Test func legacyEscapesLoadWithWarnings() throws {
        // \a \b \f \v are 07 08 0C 0B; "\." stands for "." in older releases.
        let result = try Self.load(#"Probe TCP E q|\a\b\f\v\.|"# + "\n")
        #expect(result.errors.isEmpty)
        #expect(result.diagnostics.count == 5)
        #expect(result.diagnostics.map(\.location.column) == [15, 17, 19, 21, 23])
        #expect(result.database.probes.first?.payload == [0x07, 0x08, 0x0C, 0x0B, 0x2E])
    }

    @Test func sslPrefixMarksTheSignatureTunnelled() throws {
        let result = try Self.load("Probe TCP P q|x|\nmatch ssl/http m|^HTTP/1\\.1 |\nmatch ssl m|^\\x16\\x03|\n")
        let signatures = try #require(result.database.probes.first).signatures
        #expect(signatures.map(\.service) == ["http", "ssl"])
        #expect(signatures.map(\.isTunnelled) == [true, false])
        #expect(signatures[1].requestsTLSRestart)
    }

    @Test func fallbacksResolveForwardAndAcrossTransports() throws {
        // Names may refer to later probes, and are split at commas and whitespace. A TCP probe may name a UDP
        // probe when no TCP probe has that name (nmap's TCP DNS probes fall back to the UDP ones).
        let result = try Self.load("""
            Probe TCP First q|a|
            fallback Second, Third\tUdpOnly
            Probe TCP Second q|b|
            Probe TCP Third q|c|
            Probe UDP UdpOnly q|d|

            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.database.probes[0].fallbackNames == ["Second", "Third", "UdpOnly"])
        #expect(result.database.probes[1].fallbackNames.isEmpty)
    }

    @Test func seventeenFallbacksAreAllowed() throws {
        var text = "Probe TCP Main q|m|\nfallback " + (1...17).map { "P\($0)" }.joined(separator: ",") + "\n"
        for index in 1...17 { text += "Probe TCP P\(index) q|\(index)|\n" }
        let result = try Self.load(text)
        #expect(result.diagnostics.isEmpty)
        #expect(result.database.probes[0].fallbackNames.count == 17)
    }

    @Test func crlfLineEndsAreTolerated() throws {
        let result = try Self.load("Probe TCP P q|x|\r\nrarity 3\r\nports 80\r\nmatch a m|^a|i p/A/\r\n")
        #expect(result.errors.isEmpty, "\(result.diagnostics)")
        let probe = try #require(result.database.probes.first)
        #expect(probe.rarity == 3 && probe.ports == PortSet(ports: [80]))
        #expect(probe.signatures.first?.templates.product == Array("A".utf8))
    }

    @Test func latin1BytesInNamesAndTemplatesSurvive() throws {
        // 0xE9 in a product template and a service name: kept as raw bytes, named as Latin-1.
        var bytes = Array("Probe TCP P q|x|\nmatch caf".utf8) + [0xE9]
        bytes += Array(" m|^a| p/Caf".utf8) + [0xE9] + Array("/\n".utf8)
        let result = try ServiceProbesLoader.load(bytes: bytes, fileName: "latin1")
        #expect(result.diagnostics.isEmpty)
        let signature = try #require(result.database.probes.first?.signatures.first)
        #expect(signature.service == "caf\u{E9}")
        #expect(signature.templates.product == Array("Caf".utf8) + [0xE9])
    }
}
