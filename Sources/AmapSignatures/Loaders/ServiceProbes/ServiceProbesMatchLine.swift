import AmapModel

/// Parses `match`/`softmatch <service> m<d><regex><d>[is] [<template>…]` and compiles its regex.
enum ServiceProbesMatchLine {
    /// Why a match line failed: a syntax problem, or a regex PCRE2 refused.
    enum Failure: Error, Sendable {
        /// The line is malformed.
        case syntax(ServiceProbesLineError)
        /// The regex did not compile, or PCRE2 is unavailable; the column is the regex's first byte.
        case regex(RegexError, column: Int)
    }

    /// A parsed, compiled line.
    struct Parsed: Sendable {
        var signature: Signature
        var warnings: [ServiceProbesLineError]
    }

    /// Parses a whole `match`/`softmatch` line for a probe sent over `transport`.
    static func parse(
        _ bytes: [UInt8],
        transport: Transport,
        location: SourceLocation,
        rejectEmptyMatch: Bool
    ) throws(Failure) -> Parsed {
        var scanner = ServiceProbesLineScanner(bytes)
        let strength: Signature.Strength = scanner.consume("softmatch ") ? .soft : .hard
        if strength == .hard, !scanner.consume("match ") {
            throw .syntax(scanner.error("expected 'match ' or 'softmatch '"))
        }
        let serviceColumn = scanner.column
        guard let serviceBytes = scanner.take(upTo: UInt8(ascii: " ")) else {
            throw .syntax(scanner.error("expected a service name, a space, then m|regex|"))
        }
        var service = Array(serviceBytes)
        var isTunnelled = false
        if service.starts(with: Array("ssl/".utf8)) {
            service.removeFirst(4)
            isTunnelled = true
        }
        guard !service.isEmpty else {
            throw .syntax(scanner.error("expected a service name before the space", column: serviceColumn))
        }

        let regex: Template
        do throws(ServiceProbesLineError) {
            guard let parsed = try nextTemplate(&scanner, needsSpace: false) else {
                throw scanner.error("expected the regex m|…| after the service name")
            }
            regex = parsed
        } catch {
            throw .syntax(error)
        }
        guard regex.code == Array("m".utf8) else {
            throw .syntax(scanner.error("expected the regex m<d>…<d> after the service name, found '"
                + ServiceProbesLineScanner.shown(regex.code) + "'", column: regex.column))
        }
        var options: PatternOptions = []
        for (offset, flag) in regex.flags.enumerated() {
            switch flag {
            case UInt8(ascii: "i"): options.insert(.caseless)
            case UInt8(ascii: "s"): options.insert(.dotAll)
            default:
                throw .syntax(scanner.error("unknown regex flag '\(ServiceProbesLineScanner.shown([flag]))'; "
                    + "expected i (caseless) or s (dot matches newline), then a space",
                    column: regex.flagsColumn + offset))
            }
        }

        var templates = VersionTemplates()
        var warnings: [ServiceProbesLineError] = []
        do throws(ServiceProbesLineError) {
            while let template = try nextTemplate(&scanner) {
                let body = Array(template.body)
                switch template.code {
                case Array("p".utf8): templates.product = body
                case Array("v".utf8): templates.version = body
                case Array("i".utf8): templates.info = body
                case Array("h".utf8): templates.hostname = body
                case Array("o".utf8): templates.operatingSystem = body
                case Array("d".utf8): templates.deviceType = body
                case Array("cpe:".utf8):
                    // nmap 7.93 takes any delimiter after `cpe:` and still stores `cpe:/` + body (the shipped
                    // file has `cpe:|h:…/…|`); later releases require `/`, so a file using another one is told.
                    if template.delimiter != UInt8(ascii: "/") {
                        warnings.append(scanner.error("newer nmap releases require 'cpe:/'; this CPE uses '"
                            + ServiceProbesLineScanner.shown([template.delimiter]) + "' as its delimiter",
                            column: template.column + 4))
                    }
                    if let part = body.first, VersionTemplates.cpeParts.contains(part) {
                    } else {
                        warnings.append(scanner.error("a CPE must start with a, h or o (cpe:/a:…); "
                            + "this one will be ignored", column: template.column + 5))
                    }
                    templates.cpes.append(VersionTemplates.cpePrefix + body)
                default:
                    throw scanner.error("unknown version template '\(ServiceProbesLineScanner.shown(template.code))'; "
                        + "expected p, v, i, h, o, d or cpe:", column: template.column)
                }
            }
        } catch {
            throw .syntax(error)
        }

        let pattern: CompiledPattern
        do {
            pattern = try CompiledPattern(Array(regex.body), options: options, rejectEmptyMatch: rejectEmptyMatch)
        } catch {
            throw .regex(error, column: regex.bodyColumn)
        }
        let signature = Signature(
            service: TemplateText.latin1(service),
            strength: strength,
            pattern: pattern,
            templates: templates,
            isTunnelled: isTunnelled,
            transports: [transport],
            location: location
        )
        return Parsed(signature: signature, warnings: warnings)
    }

    /// One `<code><d><body><d>[flags]` item, as nmap's next_template reads it.
    struct Template {
        var code: [UInt8]
        var column: Int
        var delimiter: UInt8
        var body: ArraySlice<UInt8>
        var bodyColumn: Int
        var flags: ArraySlice<UInt8>
        var flagsColumn: Int
    }

    /// Reads the next template after optional whitespace; nil at the end of the line.
    ///
    /// The code is the run of letters and `:`; the delimiter is the byte after it; the body runs to the next
    /// delimiter (no escaping); letters right after it are flags. Whitespace (or the end) must follow the flags.
    static func nextTemplate(
        _ scanner: inout ServiceProbesLineScanner,
        needsSpace: Bool = true
    ) throws(ServiceProbesLineError) -> Template? {
        let before = scanner.index
        scanner.skipWhitespace()
        guard !scanner.isAtEnd else { return nil }
        if needsSpace, scanner.index == before {
            throw scanner.error("expected a space before the next template")
        }
        let column = scanner.column
        let code = scanner.take { isASCIILetter($0) || $0 == UInt8(ascii: ":") }
        guard let delimiter = scanner.current, !TemplateText.isWhitespace(delimiter) else {
            throw scanner.error("expected a delimiter after '\(ServiceProbesLineScanner.shown(code))', as in p/…/")
        }
        scanner.index += 1
        let bodyColumn = scanner.column
        guard let body = scanner.take(upTo: delimiter) else {
            throw scanner.error("'\(ServiceProbesLineScanner.shown(code))\(ServiceProbesLineScanner.shown([delimiter]))"
                + "' is not closed: no further '\(ServiceProbesLineScanner.shown([delimiter]))' on the line",
                column: bodyColumn)
        }
        let flagsColumn = scanner.column
        let flags = scanner.take(while: isASCIILetter)
        return Template(code: Array(code), column: column, delimiter: delimiter, body: body, bodyColumn: bodyColumn,
                        flags: flags, flagsColumn: flagsColumn)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
}
