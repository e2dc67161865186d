/// A small non-validating XML reader that pulls tags out of a UTF-8 document, one ``XMLEvent`` per call.
///
/// It reports start, end and empty-element tags with their line, and skips everything else: the XML
/// declaration, processing instructions, comments, CDATA sections, text, and `<!DOCTYPE …>` with its
/// internal subset. Entities declared in a DTD are never expanded (text is skipped; in an attribute value an
/// entity other than XML's five predefined ones is an error), so no input can make it fetch or grow anything.
///
/// Well-formedness it checks: tag and attribute syntax, no duplicate attribute, no `<` in a value, valid
/// references, end tags closing the element opened last, one root element and nothing but comments,
/// processing instructions and whitespace outside it. It does not check the exact character classes of names
/// or the characters of text it skips.
///
/// Every byte is looked at a bounded number of times and only the stack of open elements (at most
/// ``maximumDepth``) is kept, without recursion: any input is read in linear time and bounded extra memory.
struct XMLPullReader {
    /// The deepest nesting accepted. nmap's output nests 5 deep; the cap only bounds the stack of open elements.
    static let maximumDepth = 10_000

    /// Up to this many attributes, duplicates are found by a linear search rather than a set.
    private static let attributesSearchedLinearly = 8
    /// Room reserved at a tag's first attribute: nmap's tags have up to 6 (`<port>`'s `<service>` more, rarely).
    private static let typicalAttributeCount = 6

    private let bytes: [UInt8]
    private var position: Int
    /// Where the document starts: after a UTF-8 byte order mark, if there is one.
    private let documentStart: Int
    private var openElements: [(name: String, line: Int)] = []
    private var rootSeen = false
    private var doctypeSeen = false
    private var lines = XMLLineCounter()

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let commentOpen = Array("<!--".utf8)
    private static let commentClose = Array("-->".utf8)
    private static let cdataOpen = Array("<![CDATA[".utf8)
    private static let cdataClose = Array("]]>".utf8)
    private static let doctypeOpen = Array("<!DOCTYPE".utf8)
    private static let instructionClose = Array("?>".utf8)
    private static let instructionOpen = Array("<?".utf8)
    private static let declarationOpen = Array("<!".utf8)

    /// A reader over the UTF-8 of `text`.
    init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// A reader over UTF-8 `bytes`; a leading byte order mark is skipped.
    init(bytes: [UInt8]) {
        self.bytes = bytes
        documentStart = bytes.starts(with: Self.byteOrderMark) ? Self.byteOrderMark.count : 0
        position = documentStart
    }

    /// The next tag, or nil at the end of a well-formed document.
    mutating func next() throws(XMLReadError) -> XMLEvent? {
        while position < bytes.count {
            guard bytes[position] == XMLByte.lessThan else {
                try skipText()
                continue
            }
            let line = lineNumber(at: position)
            guard position + 1 < bytes.count else { throw XMLReadError(line: line, kind: .truncated(inside: "a tag")) }
            switch bytes[position + 1] {
            case XMLByte.question: try skipProcessingInstruction(line: line)
            case XMLByte.bang: try skipMarkup(line: line)
            case XMLByte.slash: return try endTag(line: line)
            default: return try startTag(line: line)
            }
        }
        if let innermost = openElements.last {
            throw XMLReadError(line: innermost.line, kind: .truncated(inside: "<\(innermost.name)>"))
        }
        guard rootSeen else { throw XMLReadError(line: lineNumber(at: bytes.count), kind: .noRootElement) }
        return nil
    }

    // MARK: - Tags

    private mutating func startTag(line: Int) throws(XMLReadError) -> XMLEvent {
        position += 1
        guard XMLByte.isNameStart(bytes[position]) else {
            throw syntax("'<' must be followed by an element name (write &lt; for a literal '<')")
        }
        let name = readName()
        var attributes: [XMLAttribute] = []
        var attributeNames = Set<String>()
        while true {
            let spaced = skipWhitespace()
            guard position < bytes.count else {
                throw XMLReadError(line: line, kind: .truncated(inside: "the tag <\(name)"))
            }
            let byte = bytes[position]
            if byte == XMLByte.greaterThan || byte == XMLByte.slash {
                position += 1
                let empty = byte == XMLByte.slash
                if empty {
                    guard position < bytes.count else {
                        throw XMLReadError(line: line, kind: .truncated(inside: "the tag <\(name)"))
                    }
                    guard bytes[position] == XMLByte.greaterThan else {
                        throw syntax("'/' in the tag <\(name)> must be followed directly by '>'")
                    }
                    position += 1
                }
                try enter(name, line: line, empty: empty)
                let tag = XMLTag(name: name, attributes: attributes, line: line)
                return empty ? .empty(tag) : .start(tag)
            }
            guard XMLByte.isNameStart(byte) else {
                throw syntax("unexpected \(Self.describe(byte)) in the tag <\(name)> (attributes are name=\"value\")")
            }
            guard spaced else { throw syntax("the attributes of <\(name)> must be separated by whitespace") }
            let attribute = try readAttribute(of: name, tagLine: line)
            // A linear search is cheapest for the few attributes real tags have; a set keeps huge tags linear.
            let duplicate: Bool
            if attributes.count < Self.attributesSearchedLinearly {
                duplicate = attributes.contains { $0.name == attribute.name }
            } else {
                if attributeNames.isEmpty { attributeNames = Set(attributes.map(\.name)) }
                duplicate = !attributeNames.insert(attribute.name).inserted
            }
            guard !duplicate else {
                throw XMLReadError(line: line, kind: .duplicateAttribute(element: name, attribute: attribute.name))
            }
            if attributes.isEmpty { attributes.reserveCapacity(Self.typicalAttributeCount) }
            attributes.append(attribute)
        }
    }

    /// Records an element that starts: checks the single root and the depth cap.
    private mutating func enter(_ name: String, line: Int, empty: Bool) throws(XMLReadError) {
        if openElements.isEmpty {
            guard !rootSeen else { throw XMLReadError(line: line, kind: .secondRootElement(name)) }
            rootSeen = true
        }
        guard !empty else { return }
        guard openElements.count < Self.maximumDepth else {
            throw XMLReadError(line: line, kind: .nestingTooDeep(limit: Self.maximumDepth))
        }
        openElements.append((name, line))
    }

    private mutating func endTag(line: Int) throws(XMLReadError) -> XMLEvent {
        position += 2
        guard position < bytes.count else { throw XMLReadError(line: line, kind: .truncated(inside: "the end tag </")) }
        guard XMLByte.isNameStart(bytes[position]) else {
            throw syntax("'</' must be followed by the name of the element it closes")
        }
        let name = readName()
        skipWhitespace()
        guard position < bytes.count else {
            throw XMLReadError(line: line, kind: .truncated(inside: "the end tag </\(name)"))
        }
        guard bytes[position] == XMLByte.greaterThan else {
            throw syntax("the end tag </\(name)> may hold nothing but its name")
        }
        position += 1
        guard let innermost = openElements.last else {
            throw XMLReadError(line: line, kind: .endTagWithoutElement(name))
        }
        guard innermost.name == name else {
            throw XMLReadError(
                line: line,
                kind: .mismatchedEndTag(found: name, open: innermost.name, openedOnLine: innermost.line)
            )
        }
        openElements.removeLast()
        return .end(name: name, line: line)
    }

    /// Reads `name = "value"` (or single quotes) from the attribute name on.
    private mutating func readAttribute(of element: String, tagLine: Int) throws(XMLReadError) -> XMLAttribute {
        let name = readName()
        skipWhitespace()
        guard position < bytes.count else {
            throw XMLReadError(line: tagLine, kind: .truncated(inside: "the tag <\(element)"))
        }
        guard bytes[position] == XMLByte.equals else {
            throw syntax("the attribute '\(name)' of <\(element)> needs '=' and a quoted value")
        }
        position += 1
        skipWhitespace()
        guard position < bytes.count else {
            throw XMLReadError(line: tagLine, kind: .truncated(inside: "the tag <\(element)"))
        }
        let quote = bytes[position]
        guard quote == XMLByte.doubleQuote || quote == XMLByte.singleQuote else {
            throw syntax("the value of the attribute '\(name)' of <\(element)> must be in quotes")
        }
        position += 1
        // Most values hold no reference, line end or other byte needing care: one pass, one String, no buffer.
        let valueStart = position
        while position < bytes.count, bytes[position] != quote, !Self.needsCareInValue(bytes[position]) {
            position += 1
        }
        if position < bytes.count, bytes[position] == quote {
            position += 1
            return XMLAttribute(name: name, value: String(decoding: bytes[valueStart..<(position - 1)], as: UTF8.self))
        }
        var value = Array(bytes[valueStart..<position])
        while true {
            guard position < bytes.count else {
                let inside = "the value of attribute '\(name)' of <\(element)>"
                throw XMLReadError(line: tagLine, kind: .truncated(inside: inside))
            }
            let byte = bytes[position]
            switch byte {
            case quote:
                position += 1
                return XMLAttribute(name: name, value: String(decoding: value, as: UTF8.self))
            case XMLByte.lessThan:
                throw syntax("'<' in the value of the attribute '\(name)' of <\(element)> (write &lt;)")
            case XMLByte.ampersand:
                guard try appendReference(to: &value) else {
                    let inside = "the value of attribute '\(name)' of <\(element)>"
                    throw XMLReadError(line: tagLine, kind: .truncated(inside: inside))
                }
            case XMLByte.tab, XMLByte.lineFeed:
                value.append(XMLByte.space)
                position += 1
            case XMLByte.carriageReturn:
                value.append(XMLByte.space)
                position += 1
                if position < bytes.count, bytes[position] == XMLByte.lineFeed { position += 1 }
            case ..<0x20:
                throw syntax("\(Self.describe(byte)) in the value of the attribute '\(name)' of <\(element)>")
            default:
                value.append(byte)
                position += 1
            }
        }
    }

    /// Decodes the reference at `&` and appends its UTF-8; false when the input ends inside it.
    private mutating func appendReference(to value: inout [UInt8]) throws(XMLReadError) -> Bool {
        let start = position
        position += 1
        guard position < bytes.count else { return false }
        if bytes[position] == XMLByte.hash {
            position += 1
            var radix: UInt32 = 10
            if position < bytes.count, bytes[position] == UInt8(ascii: "x") {
                radix = 16
                position += 1
            }
            var scalar: UInt32 = 0
            var digits = 0
            while position < bytes.count, let digit = XMLByte.digitValue(bytes[position], radix: radix) {
                // Saturates just past Unicode's range, so any number of digits stays a bad reference.
                scalar = min(scalar * radix + digit, 0x11_0000)
                digits += 1
                position += 1
            }
            guard position < bytes.count else { return false }
            guard bytes[position] == XMLByte.semicolon, digits > 0, XMLByte.isCharacter(scalar),
                let character = Unicode.Scalar(scalar)
            else {
                let end = min(position + 1, start + 24)
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                throw XMLReadError(line: lineNumber(at: start), kind: .badCharacterReference(text))
            }
            position += 1
            value.append(contentsOf: String(character).utf8)
            return true
        }
        guard XMLByte.isNameStart(bytes[position]) else {
            throw syntax("a literal '&' in an attribute value must be written &amp;")
        }
        let name = readName()
        guard position < bytes.count else { return false }
        guard bytes[position] == XMLByte.semicolon else { throw syntax("the reference &\(name) must end with ';'") }
        position += 1
        switch name {
        case "lt": value.append(XMLByte.lessThan)
        case "gt": value.append(XMLByte.greaterThan)
        case "amp": value.append(XMLByte.ampersand)
        case "quot": value.append(XMLByte.doubleQuote)
        case "apos": value.append(XMLByte.singleQuote)
        default: throw XMLReadError(line: lineNumber(at: start), kind: .unknownEntity(name))
        }
        return true
    }

    // MARK: - What is skipped

    /// Skips text up to the next `<`: anything inside the root element, only whitespace outside it.
    private mutating func skipText() throws(XMLReadError) {
        if openElements.isEmpty {
            while position < bytes.count, bytes[position] != XMLByte.lessThan {
                guard XMLByte.isWhitespace(bytes[position]) else {
                    throw XMLReadError(line: lineNumber(at: position), kind: .outsideRootElement("text"))
                }
                position += 1
            }
        } else {
            position = bytes[position...].firstIndex(of: XMLByte.lessThan) ?? bytes.count
        }
    }

    /// Skips `<?target data?>`; the target `xml` (the XML declaration) only at the very start.
    private mutating func skipProcessingInstruction(line: Int) throws(XMLReadError) {
        let start = position
        position += 2
        guard position < bytes.count else {
            throw XMLReadError(line: line, kind: .truncated(inside: "a processing instruction"))
        }
        guard XMLByte.isNameStart(bytes[position]) else {
            throw syntax("'<?' must be followed by the name of a processing instruction's target")
        }
        let target = readName()
        if target == "xml", start != documentStart {
            throw XMLReadError(
                line: line,
                kind: .syntax("the XML declaration <?xml …?> is allowed only at the very start of the document")
            )
        }
        let inside = "the processing instruction <?\(target)"
        guard position < bytes.count else { throw XMLReadError(line: line, kind: .truncated(inside: inside)) }
        guard bytes[position] == XMLByte.question || XMLByte.isWhitespace(bytes[position]) else {
            throw syntax("the processing instruction target <?\(target) must be followed by a space or '?>'")
        }
        try skip(past: Self.instructionClose, truncatedInside: inside, line: line)
    }

    /// Skips a comment, a CDATA section (inside the root element) or the `<!DOCTYPE>` declaration.
    private mutating func skipMarkup(line: Int) throws(XMLReadError) {
        if hasPrefix(Self.commentOpen) {
            position += Self.commentOpen.count
            try skip(past: Self.commentClose, truncatedInside: "a comment", line: line)
        } else if hasPrefix(Self.cdataOpen) {
            guard !openElements.isEmpty else {
                throw XMLReadError(line: line, kind: .outsideRootElement("a CDATA section"))
            }
            position += Self.cdataOpen.count
            try skip(past: Self.cdataClose, truncatedInside: "a CDATA section", line: line)
        } else if hasPrefix(Self.doctypeOpen) {
            guard !rootSeen, !doctypeSeen else {
                throw XMLReadError(
                    line: line,
                    kind: .syntax("<!DOCTYPE> is allowed only once, before the root element")
                )
            }
            doctypeSeen = true
            position += Self.doctypeOpen.count
            try skipDoctype(line: line)
        } else if [Self.commentOpen, Self.cdataOpen, Self.doctypeOpen].contains(where: isTruncatedPrefix) {
            throw XMLReadError(line: line, kind: .truncated(inside: "a tag"))
        } else {
            throw syntax("'<!' must start a comment <!--, a CDATA section <![CDATA[ or a <!DOCTYPE> declaration")
        }
    }

    /// Skips the rest of `<!DOCTYPE name ExternalID? [internal subset]? >`; quoted strings may hold `>` and `]`.
    private mutating func skipDoctype(line: Int) throws(XMLReadError) {
        let inside = "the <!DOCTYPE> declaration"
        guard position < bytes.count else { throw XMLReadError(line: line, kind: .truncated(inside: inside)) }
        guard XMLByte.isWhitespace(bytes[position]) else {
            throw syntax("<!DOCTYPE must be followed by a space and the root element's name")
        }
        while true {
            guard position < bytes.count else { throw XMLReadError(line: line, kind: .truncated(inside: inside)) }
            switch bytes[position] {
            case XMLByte.doubleQuote, XMLByte.singleQuote:
                try skipQuoted(truncatedInside: inside, line: line)
            case XMLByte.openBracket:
                position += 1
                try skipInternalSubset(doctypeLine: line)
                skipWhitespace()
                guard position < bytes.count else { throw XMLReadError(line: line, kind: .truncated(inside: inside)) }
                guard bytes[position] == XMLByte.greaterThan else {
                    throw syntax("the <!DOCTYPE> declaration must end with '>' right after its internal subset")
                }
                position += 1
                return
            case XMLByte.greaterThan:
                position += 1
                return
            case XMLByte.lessThan:
                throw syntax("unexpected '<' in the <!DOCTYPE> declaration (is its '>' missing?)")
            default:
                position += 1
            }
        }
    }

    /// Skips the internal subset up to and including its `]`: declarations, comments, processing
    /// instructions and parameter-entity references, none of them interpreted.
    private mutating func skipInternalSubset(doctypeLine: Int) throws(XMLReadError) {
        while true {
            skipWhitespace()
            guard position < bytes.count else {
                throw XMLReadError(line: doctypeLine, kind: .truncated(inside: "the <!DOCTYPE> declaration"))
            }
            let line = lineNumber(at: position)
            switch bytes[position] {
            case XMLByte.closeBracket:
                position += 1
                return
            case XMLByte.percent:
                position += 1
                guard position < bytes.count, XMLByte.isNameStart(bytes[position]) else {
                    throw syntax("'%' in the <!DOCTYPE> internal subset must start a reference %name;")
                }
                _ = readName()
                guard position < bytes.count, bytes[position] == XMLByte.semicolon else {
                    throw syntax("a %reference in the <!DOCTYPE> internal subset must end with ';'")
                }
                position += 1
            case XMLByte.lessThan where hasPrefix(Self.commentOpen):
                position += Self.commentOpen.count
                try skip(past: Self.commentClose, truncatedInside: "a comment", line: line)
            case XMLByte.lessThan where hasPrefix(Self.instructionOpen):
                position += Self.instructionOpen.count
                try skip(past: Self.instructionClose, truncatedInside: "a processing instruction", line: line)
            case XMLByte.lessThan where hasPrefix(Self.declarationOpen):
                position += Self.declarationOpen.count
                try skipDeclaration(line: line)
            default:
                throw syntax(
                    "unexpected \(Self.describe(bytes[position])) in the <!DOCTYPE> internal subset "
                        + "(only <!…> declarations, comments, processing instructions and %references; belong there)"
                )
            }
        }
    }

    /// Skips a markup declaration such as `<!ENTITY x "…">` after its `<!`, up to its `>` outside quotes.
    private mutating func skipDeclaration(line: Int) throws(XMLReadError) {
        let inside = "a declaration in the <!DOCTYPE>"
        while true {
            guard position < bytes.count else { throw XMLReadError(line: line, kind: .truncated(inside: inside)) }
            switch bytes[position] {
            case XMLByte.doubleQuote, XMLByte.singleQuote:
                try skipQuoted(truncatedInside: inside, line: line)
            case XMLByte.greaterThan:
                position += 1
                return
            default:
                position += 1
            }
        }
    }

    /// Skips a quoted string starting at its opening quote.
    private mutating func skipQuoted(truncatedInside inside: String, line: Int) throws(XMLReadError) {
        let quote = bytes[position]
        position += 1
        guard let end = bytes[position...].firstIndex(of: quote) else {
            throw XMLReadError(line: line, kind: .truncated(inside: inside))
        }
        position = end + 1
    }

    /// Moves past the next occurrence of `terminator`.
    private mutating func skip(past terminator: [UInt8], truncatedInside inside: String, line: Int)
        throws(XMLReadError)
    {
        // Each candidate compares at most terminator.count (<= 3) bytes: linear overall.
        while let hit = bytes[position...].firstIndex(of: terminator[0]) {
            guard hit + terminator.count <= bytes.count else { break }
            if bytes[hit..<(hit + terminator.count)].elementsEqual(terminator) {
                position = hit + terminator.count
                return
            }
            position = hit + 1
        }
        position = bytes.count
        throw XMLReadError(line: line, kind: .truncated(inside: inside))
    }

    // MARK: - Helpers

    /// Reads a name starting at `position` (whose first byte the caller checked).
    private mutating func readName() -> String {
        let start = position
        position += 1
        while position < bytes.count, XMLByte.isNameCharacter(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Skips whitespace; true when there was some.
    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = position
        while position < bytes.count, XMLByte.isWhitespace(bytes[position]) { position += 1 }
        return position > start
    }

    private func hasPrefix(_ prefix: [UInt8]) -> Bool {
        bytes.count - position >= prefix.count && bytes[position..<(position + prefix.count)].elementsEqual(prefix)
    }

    /// Whether the input ends before `prefix` is complete, with what is left matching its start.
    private func isTruncatedPrefix(_ prefix: [UInt8]) -> Bool {
        bytes.count - position < prefix.count && bytes[position...].elementsEqual(prefix.prefix(bytes.count - position))
    }

    private mutating func lineNumber(at offset: Int) -> Int {
        lines.line(at: offset, in: bytes)
    }

    /// A syntax error at the current position.
    private mutating func syntax(_ reason: String) -> XMLReadError {
        XMLReadError(line: lineNumber(at: position), kind: .syntax(reason))
    }

    /// Whether `byte` in an attribute value is anything but itself: `<`, `&`, or a control character.
    private static func needsCareInValue(_ byte: UInt8) -> Bool {
        byte < XMLByte.space || byte == XMLByte.lessThan || byte == XMLByte.ampersand
    }

    /// A byte for a message: the character when printable ASCII, else its hexadecimal value.
    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
