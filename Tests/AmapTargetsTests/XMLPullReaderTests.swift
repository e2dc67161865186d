import Testing

@testable import AmapTargets

/// Every event of `text`, or the reader's error.
private func events(_ text: String) throws(XMLReadError) -> [XMLEvent] {
    try events(XMLPullReader(text))
}

/// Every event `reader` yields, or its error.
private func events(_ reader: XMLPullReader) throws(XMLReadError) -> [XMLEvent] {
    var reader = reader
    var events: [XMLEvent] = []
    while let event = try reader.next() { events.append(event) }
    return events
}

/// The reader's error for `text`, or nil when it reads to the end.
private func readError(_ text: String) -> XMLReadError? {
    do {
        _ = try events(text)
        return nil
    } catch {
        return error
    }
}

/// Events as compact strings: `<a@1 x=1>`, `<a@1/>`, `</a@1>`.
private func described(_ events: [XMLEvent]) -> [String] {
    events.map { event in
        switch event {
        case .start(let tag), .empty(let tag):
            let attributes = tag.attributes.map { " \($0.name)=\($0.value)" }.joined()
            let close = if case .empty = event { "/>" } else { ">" }
            return "<\(tag.name)@\(tag.line)\(attributes)\(close)"
        case .end(let name, let line):
            return "</\(name)@\(line)>"
        }
    }
}

@Suite struct XMLPullReaderTests {
    @Test func processingInstructionWithoutDataIsSkipped() throws {
        let read = try events("<?xml version=\"1.0\"?>\n<?x?>\n<nmaprun></nmaprun>\n")
        #expect(described(read) == ["<nmaprun@3>", "</nmaprun@3>"])
    }

    @Test func skipsDeclarationInstructionsCommentsCDATAAndText() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <?xml-stylesheet href="a.xsl" type="text/xsl"?>
            <!-- a comment with <tags> and -- dashes -->
            <root>text &amp; more <?pi data with > inside?>
            <![CDATA[ <fake attr="1"> </root> ]]>
            <!----><child a="1"/>
            </root>
            <!-- after --> <?after?>

            """
        #expect(described(try events(text)) == ["<root@4>", "<child@6 a=1/>", "</root@7>"])
    }

    @Test func doctypeWithInternalSubsetIsSkippedAndDeclaredEntitiesAreNotExpanded() throws {
        let text = """
            <!DOCTYPE nmaprun SYSTEM "a]b>.dtd" [
            <!ENTITY x "<?a?>">
            <!ATTLIST nmaprun v CDATA ']>'>
            <!-- don't stop at ] or > here -->
            <?pi ] > ?>
            %pe;
            ]>
            <nmaprun>&x;<host/></nmaprun>
            """
        #expect(described(try events(text)) == ["<nmaprun@8>", "<host@8/>", "</nmaprun@8>"])
    }

    @Test func attributeValuesAreDecoded() throws {
        let text = "<a v=\"&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;\" w=\"t\tn\nc\r\nend\" e=\"\"/>"
        #expect(described(try events(text)) == ["<a@1 v=<>&\"'AB\u{1F600} w=t n c end e=/>"])
        let tag = try #require(try events("<a  b = 'x' >\n</a >").first)
        guard case .start(let start) = tag else {
            Issue.record("expected a start tag, got \(tag)")
            return
        }
        #expect(start.value(of: "b") == "x")
        #expect(start.value(of: "c") == nil)
    }

    @Test func singleQuotedAttributesMayHoldDoubleQuotes() throws {
        let read = try events("<a x='say \"hi\"' y=\"it's\"/>")
        #expect(described(read) == ["<a@1 x=say \"hi\" y=it's/>"])
    }

    @Test func mismatchedEndTagNamesBothElementsAndWhereTheOpenOneStarted() throws {
        let error = try #require(readError("<a>\n<b>\n</a>"))
        #expect(error.line == 3)
        #expect(error.kind == .mismatchedEndTag(found: "a", open: "b", openedOnLine: 2))
        #expect(error.reason.contains("</a>") && error.reason.contains("<b>") && error.reason.contains("line 2"))
        #expect(readError("</a>")?.kind == .endTagWithoutElement("a"))
    }

    @Test func duplicateAttributeIsAnError() throws {
        #expect(readError("<a x=\"1\" x='2'/>")?.kind == .duplicateAttribute(element: "a", attribute: "x"))
        // Past a handful of attributes the check switches to a set; it must still find the duplicate.
        let many = (0..<20).map { "a\($0)=\"\($0)\"" }.joined(separator: " ")
        #expect(readError("<r \(many) a7=\"again\"/>")?.kind == .duplicateAttribute(element: "r", attribute: "a7"))
        #expect(readError("<r \(many)/>") == nil)
    }

    @Test func unknownEntityOrBadCharacterReferenceInAnAttributeIsAnError() throws {
        #expect(readError("<a v=\"&x;\"/>")?.kind == .unknownEntity("x"))
        // Declared in the DTD, but the reader never expands DTD entities.
        #expect(readError("<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a v=\"&x;\"/>")?.kind == .unknownEntity("x"))
        #expect(readError("<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a v=\"&x;\"/>")?.line == 2)
        for reference in ["&#0;", "&#xD800;", "&#xFFFE;", "&#99999999999999999999;", "&#;", "&#x;", "&#12a;"] {
            guard case .badCharacterReference = readError("<a v=\"\(reference)\"/>")?.kind else {
                Issue.record("\(reference) was not refused as a bad character reference")
                continue
            }
        }
        guard case .syntax = readError("<a v=\"fish & chips\"/>")?.kind else {
            Issue.record("a bare & was accepted")
            return
        }
    }

    @Test func attributeSyntaxIsChecked() {
        for text in ["<a b>", "<a b=c/>", "<a b=\"1\"c=\"2\"/>", "<a b=\"<\"/>", "<a \"b\"/>", "<a/ >", "< a/>",
            "<1a/>", "<a b=\"\u{1}\"/>"]
        {
            guard case .syntax = readError(text)?.kind else {
                Issue.record("\(text) was not refused: \(String(describing: readError(text)))")
                continue
            }
        }
    }

    @Test func onlyOneRootAndNothingButMiscellanyOutsideIt() {
        #expect(readError("<a/><b/>")?.kind == .secondRootElement("b"))
        #expect(readError("<a></a>\n<a></a>") == XMLReadError(line: 2, kind: .secondRootElement("a")))
        #expect(readError("<a/>x")?.kind == .outsideRootElement("text"))
        #expect(readError("x<a/>")?.kind == .outsideRootElement("text"))
        #expect(readError("<a/><![CDATA[x]]>")?.kind == .outsideRootElement("a CDATA section"))
        for misplaced in ["<a><!DOCTYPE a></a>", "<a/><!DOCTYPE a>", "<!DOCTYPE a><!DOCTYPE a><a/>"] {
            guard case .syntax = readError(misplaced)?.kind else {
                Issue.record("\(misplaced): a misplaced <!DOCTYPE> was accepted")
                continue
            }
        }
        #expect(readError("<a/> <!-- c --> <?p d?>\n\t\r\n") == nil)
        #expect(readError("")?.kind == .noRootElement)
        #expect(readError("<?xml version='1.0'?><!-- nothing -->")?.kind == .noRootElement)
    }

    @Test func xmlDeclarationOnlyAtTheStartAfterAnOptionalByteOrderMark() throws {
        #expect(described(try events("\u{FEFF}<?xml version='1.0'?><a/>")) == ["<a@1/>"])
        #expect(described(try events(XMLPullReader(bytes: [0xEF, 0xBB, 0xBF] + Array("<a/>".utf8)))) == ["<a@1/>"])
        guard case .syntax = readError("\n<?xml version='1.0'?><a/>")?.kind else {
            Issue.record("a late XML declaration was accepted")
            return
        }
    }

    @Test func nestingDeeperThanTheCapIsAnErrorNotAStackOverflow() throws {
        let limit = XMLPullReader.maximumDepth
        let atLimit = String(repeating: "<a>", count: limit) + String(repeating: "</a>", count: limit)
        #expect(try events(atLimit).count == 2 * limit)
        let error = readError(String(repeating: "<a>\n", count: 1_000_000))
        #expect(error == XMLReadError(line: limit + 1, kind: .nestingTooDeep(limit: limit)))
    }

    @Test func truncatedDocumentsNameWhatTheyEndInside() {
        let cases: [(text: String, line: Int, inside: String)] = [
            ("<a>\n<b>\n", 2, "<b>"),
            ("<a>\n<b x=\"1\"", 2, "the tag <b"),
            ("<a>\n<b", 2, "the tag <b"),
            ("<a><", 1, "a tag"),
            ("<a>\n<b x=\"1\n2", 2, "the value of attribute 'x' of <b>"),
            ("<a b=\"plain", 1, "the value of attribute 'b' of <a>"),
            ("<a>\n<!-- x\n", 2, "a comment"),
            ("<a>\n<!-", 2, "a tag"),
            ("<a>\n<![CDATA[ x ]]", 2, "a CDATA section"),
            ("<a>\n<?pi x", 2, "the processing instruction <?pi"),
            ("<a>\n</a", 2, "the end tag </a"),
            ("<!DOCTYPE a [\n<!ENTITY x \"y\">\n", 1, "the <!DOCTYPE> declaration"),
            ("<!DOCTYPE a [\n<!ENTITY x \"y>\n", 2, "a declaration in the <!DOCTYPE>"),
        ]
        for (text, line, inside) in cases {
            #expect(readError(text) == XMLReadError(line: line, kind: .truncated(inside: inside)), "\(text)")
        }
        #expect(XMLReadError(line: 2, kind: .truncated(inside: "<host>")).reason
            == "the document ends inside <host>: the file is truncated")
    }

    @Test func lineNumbersCountCRLFAndLoneCROnce() throws {
        let crlf = "<a>\r\n<b>\r\n\r\n<c\r\n x='1'/>\r\n</b></a>\r\n"
        #expect(described(try events(crlf)) == ["<a@1>", "<b@2>", "<c@4 x=1/>", "</b@6>", "</a@6>"])
        #expect(described(try events("<a>\r<b/>\r\r</a>")) == ["<a@1>", "<b@2/>", "</a@4>"])
        #expect(readError("<a>\r\n<!-- c -->\r\n<b>\r\n</a>")?.line == 4)
    }
}
