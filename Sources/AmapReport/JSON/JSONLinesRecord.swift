import AmapModel
import Foundation

/// The JSON Lines object for one finished endpoint (documented in `docs/json-lines.md`, schema in
/// `docs/json-lines.schema.json`).
///
/// Every key is always present, in a fixed order; unknown values are `null`, lists are `[]`.
/// Strings that are Unicode text (product, version, certificate fields …) are written as themselves,
/// JSON-escaped. The `banner` is the text reading of its bytes (UTF-8 when valid, else ISO-8859-1), escaped once by
/// JSON, and `banner_hex` carries the exact bytes. `timestamp` (last, added in version 2) is when the result was
/// written, RFC 3339 in UTC.
///
/// This is also how a program using the library writes a result: `JSONLinesRecord.line(for: result, timestamp:
/// Date())` is the line `amap -oJ` writes for that port (`PortResult` has no other JSON form).
public enum JSONLinesRecord {
    /// The version of the record layout; raised when a key is removed or changes meaning. Version 2: `banner` is
    /// escaped once (version 1 wrote amap's terminal escapes inside the JSON string, so `\r\n` arrived doubled);
    /// `timestamp` added; `status` (``ScanStatus``) added last; `tls` gained `sha256`, `san`, `key_type`,
    /// `key_bits` and `chain_length`.
    public static let schemaVersion = 2

    /// The object for `result`, written at `timestamp` (nil: the key is `null`).
    public static func object(for result: PortResult, timestamp: Date? = nil) -> JSONValue {
        let primary = result.primary
        let version = primary?.version ?? VersionInfo()
        return .object([
            ("schema_version", .int(schemaVersion)),
            ("host", .string(result.endpoint.host)),
            ("address", .string(result.endpoint.address)),
            ("port", .int(Int(result.endpoint.port))),
            ("proto", .string(result.endpoint.transport.rawValue)),
            ("state", .string(result.state.rawValue)),
            ("service", .optional(primary?.service)),
            ("tunnel", tunnel(primary)),
            ("product", .optional(version.product)),
            ("version", .optional(version.version)),
            ("info", .optional(version.info)),
            ("hostname", .optional(version.hostname)),
            ("os", .optional(version.operatingSystem)),
            ("device", .optional(version.deviceType)),
            ("cpe", .array(version.cpes.map(JSONValue.string))),
            ("tls", result.tls.map(tls) ?? .null),
            ("banner", result.banner.map { .string(ByteText.decode($0)) } ?? .null),
            ("banner_hex", result.banner.map { .string(Hex.string($0)) } ?? .null),
            ("banner_probe", .optional(result.bannerProbe)),
            ("evidence", primary.map { evidence($0.evidence) } ?? .null),
            ("soft", .bool(primary?.isSoft ?? false)),
            ("identifications", .array(result.identifications.map(identification))),
            ("note", .optional(result.note)),
            ("timestamp", .optional(timestamp.map(ReportTimestamp.rfc3339))),
            ("status", .string(result.status.rawValue)),
        ])
    }

    /// One serialized line, with its `\n`.
    public static func line(for result: PortResult, timestamp: Date? = nil) -> String {
        object(for: result, timestamp: timestamp).serialized + "\n"
    }

    private static func tunnel(_ identification: Identification?) -> JSONValue {
        identification?.isTunnelled == true ? .string("ssl") : .null
    }

    private static func tls(_ details: TLSDetails) -> JSONValue {
        .object([
            ("version", .optional(details.protocolVersion)),
            ("cipher", .optional(details.cipher)),
            ("subject", .optional(details.subject)),
            ("issuer", .optional(details.issuer)),
            ("not_before", .optional(details.notBefore)),
            ("not_after", .optional(details.notAfter)),
            ("sans", .array((details.subjectAlternativeNames ?? []).map(JSONValue.string))),
            ("sha256_fingerprint", .optional(details.sha256Fingerprint)),
            ("key_type", .optional(details.keyType)),
            ("key_bits", details.keyBits.map(JSONValue.int) ?? .null),
            ("chain_length", details.chainLength.map(JSONValue.int) ?? .null),
            ("starttls", .bool(details.isStartTLS)),
            ("starttls_error", .optional(details.startTLSError)),
        ])
    }

    private static func evidence(_ evidence: Evidence) -> JSONValue {
        .object([
            ("probe", .string(evidence.probeName)),
            ("signature_file", .string(evidence.signature.file)),
            ("signature_line", .int(evidence.signature.line)),
            ("via_probe", .optional(evidence.matchedViaProbe)),
        ])
    }

    private static func identification(_ identification: Identification) -> JSONValue {
        let version = identification.version
        return .object([
            ("service", .string(identification.service)),
            ("soft", .bool(identification.isSoft)),
            ("tunnel", tunnel(identification)),
            ("product", .optional(version.product)),
            ("version", .optional(version.version)),
            ("info", .optional(version.info)),
            ("hostname", .optional(version.hostname)),
            ("os", .optional(version.operatingSystem)),
            ("device", .optional(version.deviceType)),
            ("cpe", .array(version.cpes.map(JSONValue.string))),
            ("evidence", evidence(identification.evidence)),
        ])
    }
}
