/// A JSON value whose objects keep their keys in the order they were built, serialized on one line.
///
/// Hand-written so that key order is fixed by the code (consumers and diffs can rely on it) and so
/// that every string goes through ``JSONEscaping``.
public indirect enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A string (escaped when serialized).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, keys in this order.
    case object([(String, JSONValue)])

    /// A string, or `null` when `text` is nil.
    public static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }

    /// The compact serialization: no spaces, no line breaks.
    public var serialized: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .string(let value): output += JSONEscaping.quoted(value)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                output += JSONEscaping.quoted(member.0) + ":"
                member.1.write(to: &output)
            }
            output += "}"
        }
    }

    /// Equality compares objects member by member, in order.
    public static func == (left: JSONValue, right: JSONValue) -> Bool {
        left.serialized == right.serialized
    }

    /// Hashes the serialization, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(serialized)
    }
}

/// `JSONValue` through `Encoder`: a record can be embedded in a program's own `Encodable` types and written with
/// `JSONEncoder` (which may order keys its own way, and escapes strings its own way; the values are the same).
extension JSONValue: Encodable {
    /// Encodes the value as itself: `null`, a boolean, an integer, a string, an array or an object.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in members { try container.encode(value, forKey: MemberKey(key)) }
        }
    }

    /// An object's key, whatever its text.
    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ key: String) { stringValue = key }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
