/// One tag read by ``XMLPullReader``: the reader reports tags only, never text or markup declarations.
enum XMLEvent: Sendable, Hashable {
    /// A start tag `<name attr="value">`.
    case start(XMLTag)
    /// An empty-element tag `<name attr="value"/>`: a start and its end in one.
    case empty(XMLTag)
    /// An end tag `</name>` and the 1-based line it is on.
    case end(name: String, line: Int)
}

/// The name, attributes and 1-based line (of its `<`) of a start or empty-element tag.
struct XMLTag: Sendable, Hashable {
    /// The element name, prefix included (`a:b`): the reader does not resolve namespaces.
    let name: String
    /// The attributes in document order, values decoded and whitespace-normalized.
    let attributes: [XMLAttribute]
    /// The line the tag starts on.
    let line: Int

    /// The decoded value of the attribute `name`, or nil when the tag has none.
    func value(of name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }
}

/// One `name="value"` of a tag, with the value's references decoded.
struct XMLAttribute: Sendable, Hashable {
    /// The attribute name.
    let name: String
    /// The value: references decoded, each literal tab, line end or space turned into one space.
    let value: String
}
