import AmapModel
import AmapSignatures
import Testing

/// Helpers for the appdefs and amap-matcher tests: every file these tests parse is written here, made up.
enum AppdefsText {
    static func triggers(_ text: String, file: String = "test.trig") -> LoadResult {
        AppdefsLoader.parseTriggers(bytes: Array(text.utf8), fileName: file)
    }

    static func responses(_ text: String, file: String = "test.resp") -> LoadResult {
        AppdefsLoader.parseResponses(bytes: Array(text.utf8), fileName: file)
    }

    static func rpc(_ text: String, file: String = "test.rpc") -> LoadResult {
        AppdefsLoader.parseRPC(bytes: Array(text.utf8), fileName: file)
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
}

extension LoadResult {
    var warnings: [LoadDiagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// The only error, or a recorded issue.
    func singleError(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> LoadDiagnostic? {
        let errors = self.errors
        #expect(errors.count == 1, "errors: \(errors)", sourceLocation: sourceLocation)
        return errors.first
    }
}
