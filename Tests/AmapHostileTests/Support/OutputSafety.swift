import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Checks that a report is safe to print and to parse: no raw control characters, valid JSON per line, well-formed
/// XML.
enum OutputSafety {
    /// The code points no output may carry raw: C0 controls other than tab, line feed and carriage return; DEL;
    /// C1 controls (U+0080–U+009F, which include the 8-bit CSI a terminal obeys).
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0x09 || value == 0x0A || value == 0x0D { return false }
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value)
    }

    /// Records an issue for every forbidden character in `text`, and for text that is not valid UTF-8.
    static func expectEscaped(_ text: String, format: String, label: String) {
        // A Swift String is valid UTF-8 by construction: invalid input bytes can only have become U+FFFD or escapes.
        let bytes = Array(text.utf8)
        #expect(!bytes.contains(0x1B), "\(label) \(format): raw ESC byte in the output")
        #expect(!bytes.contains(0x00), "\(label) \(format): raw NUL byte in the output")
        let bad = text.unicodeScalars.filter(isForbidden)
        #expect(bad.isEmpty, "\(label) \(format): raw control characters \(bad.map { String($0.value, radix: 16) })")
    }

    /// Every line of `text` parses as a JSON object.
    static func expectValidJSONLines(_ text: String, label: String) {
        for line in text.split(separator: "\n") {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8))
            #expect(object is [String: Any], "\(label): a JSON Lines line does not parse: \(line.prefix(200))")
        }
    }

    /// The XML document parses (XML 1.0 forbids most C0 characters even as character references).
    static func expectWellFormedXML(_ text: String, label: String) {
        let parser = XMLParser(data: Data(text.utf8))
        let parsed = parser.parse()
        #expect(parsed, "\(label): the XML does not parse: \(String(describing: parser.parserError))")
    }
}

/// Reads `VmHWM` / `VmRSS` (kB) from /proc/self/status.
enum ProcessMemory {
    static func kilobytes(_ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).filter(\.isNumber))
        }
        return nil
    }

    /// Starts a new peak: the kernel sets `VmHWM` back to the current RSS (`clear_refs` value 5, Linux 4.0 and later).
    /// Returns false where that is not possible; `VmHWM` then still holds an earlier, higher peak.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let file = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? file.close() }
        return (try? file.write(contentsOf: Array("5".utf8))) != nil
    }
}
