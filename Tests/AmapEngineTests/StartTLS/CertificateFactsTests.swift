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
