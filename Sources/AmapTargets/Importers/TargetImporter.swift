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
        let endpoints: [Endpoint]
        switch format ?? ImportFormatDetector.detect(text) {
        case .nmapGrepable: endpoints = try NmapGrepableImporter.parse(text, options: options)
        case .nmapXML: endpoints = try XMLScanImporter.parse(text, format: .nmapXML, options: options)
        case .masscanXML: endpoints = try XMLScanImporter.parse(text, format: .masscanXML, options: options)
        case .masscanList: endpoints = try MasscanListImporter.parse(text, options: options)
        case .masscanJSON: endpoints = try MasscanJSONImporter.parse(text, options: options)
        case .zmapCSV: endpoints = try ZmapCSVImporter.parse(text, options: options)
        case .hostPortList: endpoints = try HostPortListImporter.parse(text, options: options)
        }
        var seen = Set<Endpoint>()
        return endpoints.filter { seen.insert($0).inserted }
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
}
