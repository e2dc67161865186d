/// Why ``XMLPullReader`` stopped: the document is not well-formed (or nests deeper than the reader allows).
struct XMLReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    enum Kind: Sendable, Hashable {
        /// The input ends inside a construct (named as in "the document ends inside <host>").
        case truncated(inside: String)
        /// An end tag that does not close the element opened last.
        case mismatchedEndTag(found: String, open: String, openedOnLine: Int)
        /// An end tag with no element open.
        case endTagWithoutElement(String)
        /// The same attribute twice in one tag.
        case duplicateAttribute(element: String, attribute: String)
        /// An `&name;` that is not one of XML's five predefined entities (DTD entities are never expanded).
        case unknownEntity(String)
        /// A `&#…;` that is malformed or names a character XML does not allow.
        case badCharacterReference(String)
        /// Elements nested deeper than ``XMLPullReader/maximumDepth``.
        case nestingTooDeep(limit: Int)
        /// A start tag after the root element was closed.
        case secondRootElement(String)
        /// Something other than comments, processing instructions or whitespace outside the root element.
        case outsideRootElement(String)
        /// A document without any element.
        case noRootElement
        /// Any other syntax error, described.
        case syntax(String)
    }

    /// The 1-based line of the problem (for ``Kind/truncated(inside:)``, where the unfinished construct began).
    let line: Int
    /// What is wrong.
    let kind: Kind

    /// What is wrong, in words a user can act on (without the line).
    var reason: String {
        switch kind {
        case .truncated(let inside):
            return "the document ends inside \(inside): the file is truncated"
        case .mismatchedEndTag(let found, let open, let openedOnLine):
            return "the end tag </\(found)> does not close <\(open)>, opened on line \(openedOnLine)"
        case .endTagWithoutElement(let name):
            return "the end tag </\(name)> closes no open element"
        case .duplicateAttribute(let element, let attribute):
            return "<\(element)> has the attribute '\(attribute)' twice"
        case .unknownEntity(let name):
            return "unknown entity &\(name); (only &lt; &gt; &amp; &quot; &apos; and &#…; are read; "
                + "entities declared in a DTD are not expanded)"
        case .badCharacterReference(let text):
            return "bad character reference \(text) (not a decimal &#N; or hexadecimal &#xH; of a character "
                + "XML allows)"
        case .nestingTooDeep(let limit):
            return "elements are nested more than \(limit) deep"
        case .secondRootElement(let name):
            return "a second root element <\(name)> after the first one was closed"
        case .outsideRootElement(let what):
            return "\(what) outside the root element (only comments, processing instructions and whitespace "
                + "may be there)"
        case .noRootElement:
            return "the document has no element: the file is empty or truncated"
        case .syntax(let reason):
            return reason
        }
    }

    /// The reason with its line.
    var description: String { "line \(line): \(reason)" }
}
