/// The client side of an in-band TLS upgrade as a state machine without I/O: it says what to send, when a reply is
/// complete, and what the reply means; the engine only executes its steps (`StartTLSUpgrade`).
///
/// Every protocol is driven the same way: ``start()`` gives the first step; after an `.exchange`, the engine reads
/// until ``isComplete(_:)`` holds (or its wait ends) and passes the reply to ``received(_:)``, which gives the next
/// step. A dialogue ends in `.handshake` (the server agreed: begin TLS now), `.refused` or `.failed`.
public struct StartTLSDialogue: Sendable, Hashable {
    /// What the engine does next.
    public enum Step: Sendable, Hashable {
        /// Send these bytes (none: only listen, for a greeting) and read one complete reply.
        case exchange([UInt8])
        /// Send these bytes (possibly none) and begin the TLS handshake at once.
        case handshake(after: [UInt8])
        /// The server does not offer the upgrade or said no; the reason quotes it.
        case refused(String)
        /// The server answered something the dialogue does not understand.
        case failed(String)
    }

    /// Where the dialogue is.
    private enum Stage: Sendable, Hashable {
        case notStarted
        /// Waiting for the greeting (or, for LDAP, PostgreSQL and XMPP, the answer to the first message).
        case greeting
        /// SMTP: waiting for the EHLO answer.
        case capabilities
        /// Waiting for the answer to the upgrade command.
        case upgrade
        case done
    }

    /// The protocol spoken.
    public let kind: StartTLSProtocol
    /// The name the client gives itself (SMTP `EHLO`) or the server (XMPP `to`).
    public let clientName: String
    /// The name of the server for XMPP's `to` attribute.
    public let serverName: String
    private var stage = Stage.notStarted

    /// The SMTP client name when none is given: a name that is never a real host (RFC 2606 `.invalid`).
    public static let defaultClientName = "amap.invalid"
    /// The IMAP tag of the STARTTLS command.
    static let imapTag = "a1"

    /// Creates the dialogue for `kind`; `serverName` is the host as the user named it (XMPP's `to`).
    public init(_ kind: StartTLSProtocol, serverName: String, clientName: String = StartTLSDialogue.defaultClientName) {
        self.kind = kind
        self.serverName = serverName
        self.clientName = clientName
    }

    /// The first step.
    public mutating func start() -> Step {
        stage = .greeting
        switch kind {
        case .smtp, .imap, .pop3, .ftp, .nntp, .mysql:
            return .exchange([])
        case .ldap:
            return .exchange(BinaryUpgradeMessages.ldapStartTLSRequest)
        case .postgresql:
            return .exchange(BinaryUpgradeMessages.postgresSSLRequest)
        case .xmpp:
            return .exchange(Array(xmppStreamHeader.utf8))
        }
    }

    /// True when `reply` holds the whole answer the current stage waits for.
    public func isComplete(_ reply: [UInt8]) -> Bool {
        guard !reply.isEmpty else { return false }
        switch (kind, stage) {
        case (.smtp, _), (.ftp, _), (.nntp, _):
            return TextReply.numericReply(reply) != nil
        case (.imap, .upgrade):
            return TextReply.lines(reply).contains { $0.hasPrefix(Self.imapTag + " ") }
        case (.imap, _), (.pop3, _):
            return !TextReply.lines(reply).isEmpty
        case (.ldap, _):
            return BinaryUpgradeMessages.ldapMessageComplete(reply)
        case (.postgresql, _):
            return true
        case (.mysql, _):
            return BinaryUpgradeMessages.mysqlPacket(reply) != nil
        case (.xmpp, .upgrade):
            let text = String(decoding: reply, as: UTF8.self)
            return Self.hasOpeningTag("<proceed", in: text) || Self.hasOpeningTag("<failure", in: text)
                || text.contains("</stream:stream>")
        case (.xmpp, _):
            let text = String(decoding: reply, as: UTF8.self)
            return ["</stream:features>", "<stream:features/>", "</stream:stream>", "</stream:error>"]
                .contains { text.contains($0) }
        }
    }

    /// The next step after the server's reply to the current stage.
    public mutating func received(_ reply: [UInt8]) -> Step {
        let step: Step
        switch kind {
        case .smtp: step = smtp(reply)
        case .imap: step = imap(reply)
        case .pop3: step = pop3(reply)
        case .ftp: step = simpleNumeric(reply, command: "AUTH TLS", greeting: 200..<300, proceed: 234)
        case .nntp: step = simpleNumeric(reply, command: "STARTTLS", greeting: 200..<202, proceed: 382)
        case .ldap: step = ldap(reply)
        case .xmpp: step = xmpp(reply)
        case .postgresql: step = postgresql(reply)
        case .mysql: step = mysql(reply)
        }
        switch step {
        case .exchange: break
        case .handshake, .refused, .failed: stage = .done
        }
        return step
    }

    // MARK: Text protocols

    private mutating func smtp(_ reply: [UInt8]) -> Step {
        guard let lines = TextReply.numericReply(reply), let last = lines.last,
            let code = TextReply.code(of: lines[0])?.code
        else { return .failed("not an SMTP reply: \(TextReply.firstLine(reply))") }
        switch stage {
        case .greeting:
            guard (200..<300).contains(code) else { return .refused("greeting: \(TextReply.quote(last))") }
            stage = .capabilities
            return .exchange(Array("EHLO \(clientName)\r\n".utf8))
        case .capabilities:
            guard code == 250 else { return .refused("EHLO: \(TextReply.quote(last))") }
            // Each line is `250-KEYWORD params` or `250 KEYWORD params` (RFC 5321 §4.1.1.1).
            let offered = lines.dropFirst().contains { line in
                line.dropFirst(4).uppercased().split(separator: " ").first == "STARTTLS"
            }
            guard offered else { return .refused("STARTTLS not offered in the EHLO answer") }
            stage = .upgrade
            return .exchange(Array("STARTTLS\r\n".utf8))
        case .upgrade:
            return code == 220 ? .handshake(after: []) : .refused("STARTTLS: \(TextReply.quote(last))")
        case .notStarted, .done:
            return .failed("no reply expected")
        }
    }

    /// FTP and NNTP: a greeting in `greeting`, then the one command, answered by `proceed`.
    private mutating func simpleNumeric(_ reply: [UInt8], command: String, greeting: Range<Int>, proceed: Int)
        -> Step
    {
        guard let lines = TextReply.numericReply(reply), let last = lines.last,
            let code = TextReply.code(of: lines[0])?.code
        else { return .failed("not a \(kind.displayName) reply: \(TextReply.firstLine(reply))") }
        switch stage {
        case .greeting:
            guard greeting.contains(code) else { return .refused("greeting: \(TextReply.quote(last))") }
            stage = .upgrade
            return .exchange(Array("\(command)\r\n".utf8))
        case .upgrade:
            return code == proceed ? .handshake(after: []) : .refused("\(command): \(TextReply.quote(last))")
        case .notStarted, .capabilities, .done:
            return .failed("no reply expected")
        }
    }

    private mutating func imap(_ reply: [UInt8]) -> Step {
        let lines = TextReply.lines(reply)
        switch stage {
        case .greeting:
            guard let greeting = lines.first, greeting.uppercased().hasPrefix("* OK") else {
                return .refused("greeting: \(TextReply.firstLine(reply))")
            }
            // A greeting that lists its capabilities (RFC 9051 §7.1) must list STARTTLS for the upgrade to be on offer.
            let upper = greeting.uppercased()
            if upper.contains("[CAPABILITY "), !upper.contains(" STARTTLS") {
                return .refused("STARTTLS not in the greeting's capabilities")
            }
            stage = .upgrade
            return .exchange(Array("\(Self.imapTag) STARTTLS\r\n".utf8))
        case .upgrade:
            guard let tagged = lines.first(where: { $0.hasPrefix(Self.imapTag + " ") }) else {
                return .failed("no tagged answer: \(TextReply.firstLine(reply))")
            }
            let status = tagged.dropFirst(Self.imapTag.count + 1).uppercased()
            return status.hasPrefix("OK") ? .handshake(after: []) : .refused("STARTTLS: \(TextReply.quote(tagged))")
        case .notStarted, .capabilities, .done:
            return .failed("no reply expected")
        }
    }

    private mutating func pop3(_ reply: [UInt8]) -> Step {
        guard let line = TextReply.lines(reply).first else { return .failed("no complete line") }
        let positive = line.hasPrefix("+OK")
        switch stage {
        case .greeting:
            guard positive else { return .refused("greeting: \(TextReply.quote(line))") }
            stage = .upgrade
            return .exchange(Array("STLS\r\n".utf8))
        case .upgrade:
            return positive ? .handshake(after: []) : .refused("STLS: \(TextReply.quote(line))")
        case .notStarted, .capabilities, .done:
            return .failed("no reply expected")
        }
    }

    // MARK: XMPP

    /// The opening stream header (RFC 6120 §4.7), addressed to the host as the user named it.
    private var xmppStreamHeader: String {
        "<?xml version='1.0'?><stream:stream to='\(Self.xmlAttribute(serverName))' xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
    }

    /// The XMPP TLS namespace (RFC 6120 §5.4).
    static let xmppTLSNamespace = "urn:ietf:params:xml:ns:xmpp-tls"

    private mutating func xmpp(_ reply: [UInt8]) -> Step {
        let text = String(decoding: reply, as: UTF8.self)
        switch stage {
        case .greeting:
            if let error = Self.xmppStreamError(text) { return .refused("stream error: \(error)") }
            guard text.contains("<starttls"), text.contains(Self.xmppTLSNamespace) else {
                return .refused("<starttls/> not among the stream features")
            }
            stage = .upgrade
            return .exchange(Array("<starttls xmlns='\(Self.xmppTLSNamespace)'/>".utf8))
        case .upgrade:
            if text.contains("<proceed") { return .handshake(after: []) }
            return .refused(text.contains("<failure") ? "the server answered <failure/>"
                : "no <proceed/>: \(TextReply.firstLine(reply))")
        case .notStarted, .capabilities, .done:
            return .failed("no reply expected")
        }
    }

    /// True when an element starting `start` (`<proceed`) appears with its opening tag closed (`>` follows).
    private static func hasOpeningTag(_ start: String, in text: String) -> Bool {
        guard let range = text.firstRange(of: start) else { return false }
        return text[range.upperBound...].contains(">")
    }

    /// The condition of a `<stream:error>` (`host-unknown`, …), nil when there is none.
    private static func xmppStreamError(_ text: String) -> String? {
        guard let range = text.firstRange(of: "<stream:error>") else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " || $0 == "\n" || $0 == "\r" }
        guard rest.first == "<" else { return "unnamed" }
        let name = rest.dropFirst().prefix { $0.isLetter || $0 == "-" }
        return name.isEmpty ? "unnamed" : TextReply.quote(String(name))
    }

    private static func xmlAttribute(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("'", with: "&apos;").replacingAll("<", with: "&lt;")
    }

    // MARK: Binary protocols

    private mutating func ldap(_ reply: [UInt8]) -> Step {
        guard let result = BinaryUpgradeMessages.ldapExtendedResult(reply) else {
            return .failed("not an LDAP extended response")
        }
        guard result.code == 0 else {
            let diagnostic = result.diagnostic.isEmpty ? "" : ": \(TextReply.quote(result.diagnostic))"
            return .refused("StartTLS result code \(result.code)\(diagnostic)")
        }
        return .handshake(after: [])
    }

    private mutating func postgresql(_ reply: [UInt8]) -> Step {
        switch reply.first {
        case UInt8(ascii: "S"): return .handshake(after: [])
        case UInt8(ascii: "N"): return .refused("SSLRequest answered N (the server does not accept SSL)")
        case UInt8(ascii: "E"): return .refused("SSLRequest answered with an error")
        default: return .failed("unexpected answer to SSLRequest")
        }
    }

    private mutating func mysql(_ reply: [UInt8]) -> Step {
        guard let packet = BinaryUpgradeMessages.mysqlPacket(reply),
            let greeting = BinaryUpgradeMessages.mysqlGreeting(packet.payload)
        else { return .failed("not a MySQL greeting") }
        switch greeting {
        case .error(let message):
            return .refused("greeting is an error: \(TextReply.quote(message))")
        case .handshake(let capabilities):
            guard capabilities & BinaryUpgradeMessages.mysqlClientSSL != 0 else {
                return .refused("the greeting does not offer SSL (no CLIENT_SSL capability)")
            }
            return .handshake(after: BinaryUpgradeMessages.mysqlSSLRequest(sequence: packet.sequence &+ 1))
        }
    }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
