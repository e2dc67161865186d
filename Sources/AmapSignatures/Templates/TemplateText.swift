/// How template bytes become text, and the byte classes nmap's C code uses (C locale, so ASCII only).
enum TemplateText {
    /// Decodes bytes as ISO-8859-1: every byte becomes the code point of the same value.
    ///
    /// nmap prints version fields as raw bytes. Services send Latin-1, UTF-8, or binary junk, and a version string
    /// must never be lost or turn into U+FFFD because it is not valid UTF-8, so each byte maps to one code point:
    /// ASCII is unchanged, and the bytes can be recovered exactly (`unicodeScalars.map { UInt8($0.value) }`).
    /// A UTF-8 sequence from a service therefore shows as its Latin-1 reading (`Ã©` for `é`): visible, reversible.
    static func latin1(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }

    /// Decodes a version field: as UTF-8 when the bytes are valid UTF-8 (`Server: Café-Server/1.0` sent in UTF-8 reads
    /// `Café`), else as ISO-8859-1 (``latin1(_:)``), so no byte is ever lost or replaced by U+FFFD.
    ///
    /// Services send UTF-8 far more often than Latin-1 today; a byte sequence that is not UTF-8 is read byte for byte.
    static func versionText(_ bytes: [UInt8]) -> String {
        // Decoding replaces each invalid sequence with U+FFFD, so the bytes come back unchanged only when valid.
        let decoded = String(decoding: bytes, as: UTF8.self)
        return decoded.utf8.elementsEqual(bytes) ? decoded : latin1(bytes)
    }

    /// C `isspace` in the C locale: space, `\t`, `\n`, `\v`, `\f`, `\r`.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// C `isprint` in the C locale: 0x20 through 0x7E.
    static func isPrintable(_ byte: UInt8) -> Bool {
        (0x20...0x7E).contains(byte)
    }

    /// C `isdigit`.
    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
