import AmapSignatures
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads nmap XML output (`-oX`) and masscan's nmap-shaped XML output (`-oX`).
///
/// Per `<host>`: the first `<address>` whose `addrtype` is `ipv4` or `ipv6` (MAC addresses are
/// skipped), and each `<port protocol="tcp|udp" portid="N">` whose `<state state="...">` is
/// exactly `open`. External entities are not resolved.
public enum XMLScanImporter {
    /// libxml2's `XML_ERR_DOCUMENT_END` (xmlerror.h), which swift-corelibs-foundation passes through
    /// as the error code when the input ends before the root element is closed.
    static let libxml2DocumentEnd = 5

    /// Parses XML output; `format` only names the input in error messages.
    public static func parse(
        _ text: String,
        format: ImportFormat = .nmapXML,
        options: ImportOptions = ImportOptions()
    ) throws(ImportError) -> [Endpoint] {
        let parser = XMLParser(data: Data(text.utf8))
        parser.shouldResolveExternalEntities = false
        let reader = HostReader(collector: ImportCollector(format: format, options: options))
        parser.delegate = reader
        // swift-corelibs-foundation's parse() can return true after a well-formedness error, and
        // reports none for a truncated document, so both are checked here as well.
        let succeeded = parser.parse()
        if let error = reader.error { throw error }
        let syntaxError = reader.syntaxError ?? (succeeded ? nil : (-1, parser.lineNumber))
        let endedEarly = syntaxError == nil || syntaxError?.code == libxml2DocumentEnd
        if endedEarly, let open = reader.openElements.last {
            throw .malformed(
                format: format,
                line: open.line,
                reason: "the document ends inside <\(open.name)>: the file is truncated"
            )
        }
        if let (code, line) = syntaxError {
            throw .malformed(format: format, line: line, reason: "not well-formed XML (parser error \(code))")
        }
        return reader.collector.endpoints
    }

    /// The parser's delegate; lives only for one synchronous `parse()` call on one thread.
    private final class HostReader: NSObject, XMLParserDelegate {
        var collector: ImportCollector
        var error: ImportError?
        /// The first well-formedness error: libxml2's code and the line.
        var syntaxError: (code: Int, line: Int)?
        /// Elements opened and not yet closed, to notice a truncated document.
        var openElements: [(name: String, line: Int)] = []
        private var inHost = false
        private var host: String?
        private var hostLine = 0
        private var openPorts: [(port: UInt16, transport: Transport)] = []
        private var currentPort: (port: UInt16, transport: Transport)?

        init(collector: ImportCollector) {
            self.collector = collector
        }

        private func fail(_ failure: ImportError, _ parser: XMLParser) {
            if error == nil { error = failure }
            parser.abortParsing()
        }

        func parser(
            _ parser: XMLParser,
            didStartElement elementName: String,
            namespaceURI: String?,
            qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            guard error == nil else { return }
            let line = parser.lineNumber
            openElements.append((elementName, line))
            do throws(ImportError) {
                switch elementName {
                case "host":
                    inHost = true
                    host = nil
                    hostLine = line
                    openPorts = []
                case "address" where inHost && host == nil:
                    let type = attributeDict["addrtype"] ?? "ipv4"
                    guard type == "ipv4" || type == "ipv6" else { return }
                    host = try collector.host((attributeDict["addr"] ?? "")[...], line: line)
                case "port" where inHost:
                    currentPort = nil
                    guard let proto = attributeDict["protocol"], let transport = Transport(rawValue: proto) else {
                        return
                    }
                    let port = try collector.port((attributeDict["portid"] ?? "")[...], line: line)
                    currentPort = (port, transport)
                case "state" where inHost:
                    if attributeDict["state"] == "open", let currentPort { openPorts.append(currentPort) }
                default:
                    break
                }
            } catch {
                fail(error, parser)
            }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if syntaxError == nil { syntaxError = ((parseError as NSError).code, parser.lineNumber) }
        }

        func parser(
            _ parser: XMLParser,
            didEndElement elementName: String,
            namespaceURI: String?,
            qualifiedName qName: String?
        ) {
            guard error == nil else { return }
            if !openElements.isEmpty { openElements.removeLast() }
            switch elementName {
            case "port":
                currentPort = nil
            case "host":
                inHost = false
                guard !openPorts.isEmpty else { return }
                guard let host else {
                    let reason = "<host> with open ports has no address"
                    fail(.malformed(format: collector.format, line: hostLine, reason: reason), parser)
                    return
                }
                for entry in openPorts { collector.add(host: host, port: entry.port, transport: entry.transport) }
            default:
                break
            }
        }
    }
}
