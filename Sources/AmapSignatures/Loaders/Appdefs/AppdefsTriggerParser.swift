import AmapModel

/// Parser for `PREFIX.trig`: `NAME:[PORT[,PORT...]]:[PROTO]:HARMFUL:DATA`.
enum AppdefsTriggerParser {
    /// The probes of a trigger file, in file order; a `both` line gives a TCP probe and then a UDP probe.
    static func parse(bytes: [UInt8], fileName: String) -> (probes: [Probe], diagnostics: [LoadDiagnostic]) {
        var probes: [Probe] = []
        let diagnostics = AppdefsFileParser.forEachRecord(in: bytes, fileName: fileName) {
            (record, location, warnings) throws(AppdefsLineError) in
            let name = try record.name(kind: "trigger")
            let ports = AppdefsFieldParsers.portHints(record.fields[1], warnings: &warnings)
            let (transports, protocolWarning) = try record.transports()
            if let protocolWarning { warnings.append(protocolWarning) }
            let harmful = try AppdefsFieldParsers.harmful(record.fields[3])
            let payload = try AppdefsTriggerData.parse(record.rest, column: record.restColumn, warnings: &warnings)
            for transport in Transport.allCases where transports.contains(transport) {
                probes.append(Probe(name: name, transport: transport, payload: payload, ports: ports,
                                    isHarmful: harmful, location: location))
            }
        }
        return (probes, diagnostics)
    }
}
