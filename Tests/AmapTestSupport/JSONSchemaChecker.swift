import Foundation

/// A small JSON Schema (draft 2020-12) checker for the keywords `docs/json-lines.schema.json` uses:
/// `type` (one or a list), `const`, `enum`, `required`, `properties`, `additionalProperties: false`,
/// `items`, `$ref` to `#/$defs/…`, `oneOf`, `minimum`, `maximum`, `pattern`. Any other keyword is
/// reported as a problem, so the schema cannot silently outgrow the checker.
public struct JSONSchemaChecker {
    /// The schema document.
    public let root: [String: Any]

    private static let known: Set<String> = [
        "$schema", "$id", "$defs", "title", "description", "type", "const", "enum", "required", "properties",
        "additionalProperties", "items", "$ref", "oneOf", "minimum", "maximum", "pattern",
    ]

    /// Loads the schema from the repository's `docs/` folder.
    public static func load() throws -> JSONSchemaChecker {
        let url = PackageRoot.url.appendingPathComponent("docs/json-lines.schema.json")
        let data = try Data(contentsOf: url)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CheckError.notAnObject
        }
        return JSONSchemaChecker(root: root)
    }

    /// The schema file is not a JSON object.
    public enum CheckError: Error { case notAnObject }

    /// The problems found; empty when `value` conforms.
    public func problems(_ value: Any) -> [String] {
        var found: [String] = []
        check(value, against: root, path: "$", into: &found)
        return found
    }

    private func check(_ value: Any, against schema: [String: Any], path: String, into found: inout [String]) {
        for key in schema.keys where !Self.known.contains(key) {
            found.append("\(path): schema keyword \(key) is not supported by the checker")
        }
        if let reference = schema["$ref"] as? String {
            let name = reference.replacingOccurrences(of: "#/$defs/", with: "")
            guard let defs = root["$defs"] as? [String: Any], let target = defs[name] as? [String: Any] else {
                found.append("\(path): unresolved \(reference)")
                return
            }
            check(value, against: target, path: path, into: &found)
        }
        if let alternatives = schema["oneOf"] as? [[String: Any]] {
            let passing = alternatives.filter { alternative in
                var sub: [String] = []
                check(value, against: alternative, path: path, into: &sub)
                return sub.isEmpty
            }
            if passing.count != 1 { found.append("\(path): matches \(passing.count) oneOf branches") }
        }
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? "?"]
            if !allowed.contains(where: { Self.has(value, type: $0) }) {
                found.append("\(path): \(Self.describe(value)) is not \(allowed)")
                return
            }
        }
        if let constant = schema["const"], !Self.equal(value, constant) {
            found.append("\(path): \(Self.describe(value)) is not the constant")
        }
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { Self.equal(value, $0) }) {
            found.append("\(path): \(Self.describe(value)) is not one of the enum values")
        }
        if let number = value as? NSNumber, !Self.has(value, type: "boolean") {
            if let minimum = schema["minimum"] as? NSNumber, number.doubleValue < minimum.doubleValue {
                found.append("\(path): below minimum")
            }
            if let maximum = schema["maximum"] as? NSNumber, number.doubleValue > maximum.doubleValue {
                found.append("\(path): above maximum")
            }
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                found.append("\(path): missing required \(key)")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, member) in object {
                if let sub = properties[key] as? [String: Any] {
                    check(member, against: sub, path: "\(path).\(key)", into: &found)
                } else if (schema["additionalProperties"] as? NSNumber)?.boolValue == false {
                    found.append("\(path): unexpected key \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                check(element, against: items, path: "\(path)[\(index)]", into: &found)
            }
        }
    }

    /// JSONSerialization returns booleans as NSNumber with the `c` (char) type on Linux and Darwin.
    private static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber, !(value is String) else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func has(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "boolean": return isBoolean(value)
        case "integer":
            guard let number = value as? NSNumber, !isBoolean(value) else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        case "string": return value is String
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    private static func equal(_ left: Any, _ right: Any) -> Bool {
        if left is NSNull || right is NSNull { return left is NSNull && right is NSNull }
        if let left = left as? String, let right = right as? String { return left == right }
        if let left = left as? NSNumber, let right = right as? NSNumber {
            return isBoolean(left) == isBoolean(right) && left == right
        }
        return false
    }

    private static func describe(_ value: Any) -> String {
        "\(value) (\(Swift.type(of: value)))"
    }
}
