import Foundation

// SwiftPM generates `Bundle.module` for a target with resources; a fuzz build compiles the module's sources with
// swiftc directly, so it supplies its own. The fuzz targets never load the built-in database.
extension Bundle {
    static var module: Bundle { .main }
}
