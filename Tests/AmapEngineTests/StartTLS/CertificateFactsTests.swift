import AmapModel
import Testing

@testable import AmapEngine

/// The pieces of the certificate facts that are pure: SHA-256 and the address form of an IP alternative name.
@Suite struct CertificateFactsTests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf"), and a message that needs a second padding block.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256MatchesTheStandardsVectors(_ message: String, _ digest: String) {
        #expect(hex(SHA256.digest(Array(message.utf8))) == digest)
    }

    @Test func sha256OfAMillionAs() {
        #expect(hex(SHA256.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func fingerprintIsUpperCaseColonSeparated() {
        let text = SHA256.fingerprint(Array("abc".utf8))
        #expect(text.hasPrefix("BA:78:16:BF:") && text.count == 32 * 3 - 1)
    }

    @Test func alternativeNameAddresses() {
        #expect(AlternativeNameAddress.text([127, 0, 0, 1]) == "127.0.0.1")
        #expect(AlternativeNameAddress.text([UInt8](repeating: 0, count: 15) + [1]) == "::1")
        let documentation: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
        #expect(AlternativeNameAddress.text(documentation) == "2001:db8::1:0:0:1")
        #expect(AlternativeNameAddress.text([1, 2]) == "1:2")
    }
}

/// The cipher suite read from a ServerHello in the clear.
@Suite struct ServerHelloCipherTests {
    /// A TLS 1.3 ServerHello record (RFC 8448 §3, "simple 1-RTT handshake": session id empty, suite 0x1301,
    /// extensions shortened to none here).
    private func serverHello(suite: UInt16, sessionID: [UInt8] = []) -> [UInt8] {
        var body: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 0xAB, count: 32)
        body += [UInt8(sessionID.count)] + sessionID + [UInt8(suite >> 8), UInt8(suite & 0xFF), 0x00, 0x00, 0x00]
        let handshake: [UInt8] = [0x02, 0x00, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        return [0x16, 0x03, 0x03, UInt8(handshake.count >> 8), UInt8(handshake.count & 0xFF)] + handshake
    }

    @Test func readsTheSuiteWithAndWithoutASessionID() {
        #expect(ServerHelloCipher.suite(in: serverHello(suite: 0x1301)) == 0x1301)
        let withSession = serverHello(suite: 0xC02F, sessionID: [UInt8](repeating: 7, count: 32))
        #expect(ServerHelloCipher.suite(in: withSession) == 0xC02F)
        // Incomplete: every prefix gives nothing and is not hopeless.
        for end in 0..<withSession.count {
            #expect(ServerHelloCipher.suite(in: Array(withSession[..<end])) == nil)
            #expect(!ServerHelloCipher.hopeless(Array(withSession[..<end])))
        }
    }

    @Test func otherBytesAreHopeless() {
        #expect(ServerHelloCipher.hopeless(Array("220 mail ESMTP\r\n".utf8)))
        #expect(ServerHelloCipher.hopeless([0x16, 0x03, 0x03, 0x00, 0x10, 0x0B]))  // a Certificate first
        #expect(ServerHelloCipher.suite(in: [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28, 0, 0]) == nil)
    }

    @Test func namesAreIANAsOrHex() {
        #expect(ServerHelloCipher.name(of: 0x1302) == "TLS_AES_256_GCM_SHA384")
        #expect(ServerHelloCipher.name(of: 0x00FF) == "0x00FF")
    }
}
