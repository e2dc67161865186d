/// The files a scan writes its reports to, from `-o`, `-oJ`, `-oX`, `-oG` and nmap's `-oA BASE`.
///
/// `-oA BASE` names all four: `BASE.amap` (the human log, as `-o`), `BASE.jsonl`, `BASE.xml` and `BASE.gnmap`; a
/// format also given on its own keeps its own file. `-` means standard output, for every format, and then amap's
/// own lines leave stdout to it (as `nmap -oX -` does); only one report can go there.
struct OutputPaths: Equatable {
    /// The path that means standard output.
    static let standardOutput = "-"

    var log: String?
    var json: String?
    var xml: String?
    var grepable: String?

    init(log: String? = nil, json: String? = nil, xml: String? = nil, grepable: String? = nil) {
        self.log = log
        self.json = json
        self.xml = xml
        self.grepable = grepable
    }

    init(options: ScanOptions) {
        let base = options.outputBase
        log = options.outputFile ?? base.map { $0 + ".amap" }
        json = options.jsonFile ?? base.map { $0 + ".jsonl" }
        xml = options.xmlFile ?? base.map { $0 + ".xml" }
        grepable = options.grepableFile ?? base.map { $0 + ".gnmap" }
    }

    /// Every file named, standard output left out (for the checks made before the scan).
    var files: [String] {
        [log, json, xml, grepable].compactMap { $0 }.filter { $0 != Self.standardOutput }
    }

    /// Whether a report goes to standard output instead of amap's own lines.
    var usesStandardOutput: Bool {
        [log, json, xml, grepable].contains(Self.standardOutput)
    }

    /// A usage problem: more than one report to standard output (they would interleave), or `-oA -`.
    static func problem(in options: ScanOptions) -> String? {
        if options.outputBase == standardOutput {
            return "-oA - would send four reports to standard output: give -oA a file name base, or -oX -, -oJ - …"
        }
        let paths = OutputPaths(options: options)
        let toStandardOutput = [paths.log, paths.json, paths.xml, paths.grepable].filter { $0 == standardOutput }
        if options.json && !toStandardOutput.isEmpty {
            return "--json and an output to '-' would both write to standard output; give one of them"
        }
        if toStandardOutput.count > 1 {
            return "only one report can go to standard output ('-'); give the others a file"
        }
        return nil
    }
}
