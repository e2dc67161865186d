/// Which Unicode scalars must never reach an output stream as themselves.
///
/// A terminal acts on C0 and C1 controls (ESC starts a control sequence; U+009B is a one-byte CSI) and
/// on DEL; bidirectional overrides and isolates reorder what a reader sees ("Trojan Source",
/// CVE-2021-42574); U+2028/U+2029 break lines in JavaScript and some viewers. Every escaper
/// in this module treats these the same way, each in its own syntax.
enum UnsafeScalars {
    /// C0 controls, DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Bidirectional embedding, override and isolate controls, the directional marks, and the line and
    /// paragraph separators.
    static func isInvisibleFormatting(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200E, 0x200F, 0x061C: true
        case 0x202A...0x202E: true
        case 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }

    /// True when the scalar has to be escaped in any output.
    static func mustEscape(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar) || isInvisibleFormatting(scalar)
    }
}
