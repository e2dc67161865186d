import AmapModel
import AmapSignatures
import Testing

/// The built-in database's `#@` lines: comments to nmap, probe attributes to swift-amap.
@Suite struct BuiltinMarkTests {
    private func load(_ text: String) throws -> LoadResult {
        try BuiltinDatabase.load(files: [(name: "10-test.probes", bytes: Array(text.utf8))])
    }

    @Test func marksApplyToTheProbeTheyFollow() throws {
        let result = try load("""
            Probe UDP ReadMissing q|\\0\\x01x\\0octet\\0|
            # a plain comment
            #@ any-reply-port
            match tftp m|^\\0\\x05|

            Probe UDP Plain q|x|

            Probe TCP Print q|@PJL\\r\\n|
            #@ harmful

            """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let probes = result.database.probes
        #expect(probes.map(\.name) == ["ReadMissing", "Plain", "Print"])
        #expect(probes.map(\.acceptsAnyReplyPort) == [true, false, false])
        #expect(probes.map(\.isHarmful) == [false, false, true])
    }

    @Test func anyReplyPortOnATCPProbeIsAnError() throws {
        let result = try load("Probe TCP Lines q|\\r\\n|\n#@ any-reply-port\n")
        #expect(result.diagnostics.map(\.message) == ["#@ any-reply-port applies to UDP probes only"])
        #expect(result.database.probes.first?.acceptsAnyReplyPort == false)
    }

    @Test func theShippedTFTPProbeAcceptsAnyReplyPortAndNoOtherDoes() throws {
        let database = try BuiltinDatabase.load().database
        #expect(database.probes.filter(\.acceptsAnyReplyPort).map(\.name) == ["TFTPReadMissing"])
    }
}
