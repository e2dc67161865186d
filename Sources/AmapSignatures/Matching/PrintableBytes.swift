/// Bytes as readable text for evidence and messages: printable ASCII kept, a backslash and every other byte as
/// `\xHH`, so the text never holds a control character and maps back to the bytes.
enum PrintableBytes {
    /// `bytes` rendered as printable text.
    static func text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in bytes {
            if TemplateText.isPrintable(byte) && byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x"
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return text
    }
}
