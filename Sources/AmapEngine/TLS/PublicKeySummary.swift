/// The algorithm and size of a public key, read from its DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7).
///
/// Only the few DER elements needed are read; anything unexpected gives nil rather than a guess.
struct PublicKeySummary: Sendable, Hashable {
    /// `rsa`, `ec`, `ed25519`, `ed448` or `dsa`.
    var type: String
    /// The size in bits, when the algorithm has one.
    var bits: Int?

    /// Reads `spki`, the DER bytes of a `SubjectPublicKeyInfo`.
    init?(spki: [UInt8]) {
        guard let outer = DER.element(spki, at: 0), outer.tag == DER.sequence,
            let algorithm = DER.element(spki, at: outer.content.lowerBound), algorithm.tag == DER.sequence,
            let oid = DER.element(spki, at: algorithm.content.lowerBound), oid.tag == DER.objectIdentifier
        else { return nil }
        let identifier = Array(spki[oid.content])
        let parameters = DER.element(spki, at: oid.content.upperBound)
            .flatMap { $0.content.upperBound <= algorithm.content.upperBound ? $0 : nil }
        switch identifier {
        case Self.rsaEncryption:
            guard let key = DER.element(spki, at: algorithm.content.upperBound), key.tag == DER.bitString,
                // The bit string's first byte counts unused bits; the RSAPublicKey SEQUENCE follows (RFC 8017 A.1.1).
                let sequence = DER.element(spki, at: key.content.lowerBound + 1), sequence.tag == DER.sequence,
                let modulus = DER.element(spki, at: sequence.content.lowerBound), modulus.tag == DER.integer
            else { return nil }
            self.init(type: "rsa", bits: DER.bitLength(spki[modulus.content]))
        case Self.ecPublicKey:
            let curve = parameters.map { Array(spki[$0.content]) }
            self.init(type: "ec", bits: curve.flatMap { Self.curveBits[$0] })
        case Self.ed25519:
            self.init(type: "ed25519", bits: 256)
        case Self.ed448:
            self.init(type: "ed448", bits: 456)
        case Self.dsa:
            // Dss-Parms ::= SEQUENCE { p, q, g } (RFC 3279 §2.3.2): the size is p's.
            guard let parameters, parameters.tag == DER.sequence,
                let prime = DER.element(spki, at: parameters.content.lowerBound), prime.tag == DER.integer
            else { return nil }
            self.init(type: "dsa", bits: DER.bitLength(spki[prime.content]))
        default:
            return nil
        }
    }

    private init(type: String, bits: Int?) {
        self.type = type
        self.bits = bits
    }

    // Object identifiers' DER contents (RFC 8017, RFC 5480, RFC 8410, RFC 3279).
    private static let rsaEncryption: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    private static let ecPublicKey: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    private static let ed25519: [UInt8] = [0x2B, 0x65, 0x70]
    private static let ed448: [UInt8] = [0x2B, 0x65, 0x71]
    private static let dsa: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01]
    /// Named curves (RFC 5480 §2.1.1.1) and their field sizes.
    private static let curveBits: [[UInt8]: Int] = [
        [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]: 256,  // secp256r1
        [0x2B, 0x81, 0x04, 0x00, 0x22]: 384,  // secp384r1
        [0x2B, 0x81, 0x04, 0x00, 0x23]: 521,  // secp521r1
    ]
}

/// The few DER reading steps `PublicKeySummary` needs (X.690 §8.1).
enum DER {
    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let objectIdentifier: UInt8 = 0x06
    static let sequence: UInt8 = 0x30

    /// One element: its tag and the range of its contents.
    struct Element {
        var tag: UInt8
        var content: Range<Int>
    }

    /// The element starting at `offset`, or nil when the bytes end too early or the length is not definite.
    static func element(_ bytes: [UInt8], at offset: Int) -> Element? {
        guard offset + 1 < bytes.count else { return nil }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        var start = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count > 0, count <= 4, start + count <= bytes.count else { return nil }
            length = bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) }
            start += count
        }
        guard start + length <= bytes.count else { return nil }
        return Element(tag: tag, content: start..<start + length)
    }

    /// The bit length of a non-negative INTEGER's contents (leading zero bytes and bits not counted).
    static func bitLength(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return nil }
        let remaining = bytes.endIndex - first
        return (remaining - 1) * 8 + (8 - bytes[first].leadingZeroBitCount)
    }
}
