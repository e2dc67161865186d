/// How bytes from the network become JSON text: UTF-8 when they are valid UTF-8, else ISO-8859-1 byte for byte (the
/// rule the version fields follow), so nothing is lost or replaced and the exact bytes stay in `banner_hex`.
enum ByteText {
    /// The text reading of `bytes`.
    static func decode(_ bytes: [UInt8]) -> String {
        // Decoding replaces each invalid sequence with U+FFFD, so the bytes come back unchanged only when valid.
        let utf8 = String(decoding: bytes, as: UTF8.self)
        if utf8.utf8.elementsEqual(bytes) { return utf8 }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }
}
