import AmapModel

/// Entry point for importing targets from another scanner's output.
public enum TargetImporter {
    /// Parses `text` as `format`, or as the detected format when `format` is nil, and returns the
    /// endpoints in file order with exact duplicates removed (amap merges repeated hosts too).
    public static func parse(
        _ text: String,
        format: ImportFormat? = nil,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        try read(text, format: format, options: options).endpoints
    }

    /// Parses `text` like ``parse(_:format:options:)`` and also returns the warnings: an XML file cut short keeps
    /// its complete hosts.
    ///
    /// - Throws: ``ImportError/nothingToScan(format:)`` when the input yields no endpoint, so that a scan never
    ///   silently does nothing.
    public static func read(
        _ text: String,
        format: ImportFormat? = nil,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> ImportResult {
        var endpoints: [Endpoint]
        var warnings: [ImportWarning] = []
        let format = format ?? ImportFormatDetector.detect(text)
        switch format {
        case .nmapGrepable: endpoints = try NmapGrepableImporter.parse(text, options: options)
        case .nmapXML, .masscanXML:
            let result = try XMLScanImporter.read(text, format: format, options: options)
            endpoints = result.endpoints
            warnings = result.warnings
        case .masscanList: endpoints = try MasscanListImporter.parse(text, options: options)
        case .masscanJSON: endpoints = try MasscanJSONImporter.parse(text, options: options)
        case .zmapCSV: endpoints = try ZmapCSVImporter.parse(text, options: options)
        case .amapJSON: endpoints = try JSONLinesTargetImporter.parse(text, format: .amapJSON, options: options)
        case .zmapJSON: endpoints = try JSONLinesTargetImporter.parse(text, format: .zmapJSON, options: options)
        case .hostPortList: endpoints = try HostPortListImporter.parse(text, options: options)
        }
        var seen = Set<Endpoint>()
        endpoints = endpoints.filter { seen.insert($0).inserted }
        guard !endpoints.isEmpty else { throw .nothingToScan(format: format) }
        return ImportResult(endpoints: endpoints, warnings: warnings)
    }

    /// Parses raw bytes: decoded as UTF-8, invalid sequences replaced (they can only be in
    /// names or comments, and a name with a replacement character is refused as a host).
    public static func parse(
        bytes: some Collection<UInt8>,
        format: ImportFormat? = nil,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        try parse(String(decoding: bytes, as: UTF8.self), format: format, options: options)
    }

    /// Reads raw bytes like ``parse(bytes:format:options:)``, with the warnings.
    public static func read(
        bytes: some Collection<UInt8>,
        format: ImportFormat? = nil,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> ImportResult {
        try read(String(decoding: bytes, as: UTF8.self), format: format, options: options)
    }
}
