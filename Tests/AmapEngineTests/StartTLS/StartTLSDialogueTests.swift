import Testing

@testable import AmapEngine

/// The upgrade dialogues, driven with server replies as plain bytes (no sockets): what the client sends, when a reply
/// is complete, and how each way of saying yes, no or nonsense ends.
@Suite struct StartTLSDialogueTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Feeds `reply` in two pieces: the dialogue must not call a reply complete before its last byte.
    private func feed(_ dialogue: inout StartTLSDialogue, _ reply: [UInt8]) -> StartTLSDialogue.Step {
        if reply.count > 1 { #expect(!dialogue.isComplete(Array(reply.dropLast())), "complete too early: \(reply)") }
        #expect(dialogue.isComplete(reply), "not complete: \(String(decoding: reply, as: UTF8.self))")
        return dialogue.received(reply)
    }

    @Test func smtpSendsEHLOThenSTARTTLSWhenOffered() {
        var dialogue = StartTLSDialogue(.smtp, serverName: "mail.example")
        #expect(dialogue.start() == .exchange([]))
        #expect(feed(&dialogue, bytes("220-mail.example ESMTP\r\n220 hello\r\n"))
            == .exchange(bytes("EHLO amap.invalid\r\n")))
        let ehlo = "250-mail.example Hello\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 HELP\r\n"
        #expect(feed(&dialogue, bytes(ehlo)) == .exchange(bytes("STARTTLS\r\n")))
        #expect(feed(&dialogue, bytes("220 2.0.0 Ready to start TLS\r\n")) == .handshake(after: []))
    }

    @Test func smtpWithoutSTARTTLSInTheEHLOAnswerIsRefusedWithoutAsking() {
        var dialogue = StartTLSDialogue(.smtp, serverName: "x")
        _ = dialogue.start()
        _ = feed(&dialogue, bytes("220 x ESMTP\r\n"))
        // STARTTLSX is another keyword; STARTTLS must be the whole keyword.
        #expect(feed(&dialogue, bytes("250-x\r\n250-STARTTLSX\r\n250 PIPELINING\r\n"))
            == .refused("STARTTLS not offered in the EHLO answer"))
    }

    @Test func smtpRefusals() {
        var busy = StartTLSDialogue(.smtp, serverName: "x")
        _ = busy.start()
        #expect(feed(&busy, bytes("554 5.7.1 go away\r\n")) == .refused("greeting: 554 5.7.1 go away"))
        var later = StartTLSDialogue(.smtp, serverName: "x")
        _ = later.start()
        _ = feed(&later, bytes("220 x\r\n"))
        _ = feed(&later, bytes("250-x\r\n250 STARTTLS\r\n"))
        #expect(feed(&later, bytes("454 4.7.0 TLS not available due to temporary reason\r\n"))
            == .refused("STARTTLS: 454 4.7.0 TLS not available due to temporary reason"))
        var noise = StartTLSDialogue(.smtp, serverName: "x")
        _ = noise.start()
        #expect(noise.isComplete(bytes("SSH-2.0-OpenSSH\r\n")))
        #expect(noise.received(bytes("SSH-2.0-OpenSSH\r\n")) == .failed("not an SMTP reply: SSH-2.0-OpenSSH"))
    }

    @Test func imapAsksWithATaggedCommandAndWaitsForTheTaggedAnswer() {
        var dialogue = StartTLSDialogue(.imap, serverName: "x")
        #expect(dialogue.start() == .exchange([]))
        let greeting = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS] ready\r\n"
        #expect(feed(&dialogue, bytes(greeting)) == .exchange(bytes("a1 STARTTLS\r\n")))
        let answer = bytes("* BYE not yet\r\na1 OK Begin TLS negotiation now.\r\n")
        // An untagged line alone is not the answer.
        #expect(!dialogue.isComplete(bytes("* BYE not yet\r\n")))
        #expect(feed(&dialogue, answer) == .handshake(after: []))
    }

    @Test func imapRefusals() {
        var noCapability = StartTLSDialogue(.imap, serverName: "x")
        _ = noCapability.start()
        #expect(feed(&noCapability, bytes("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"))
            == .refused("STARTTLS not in the greeting's capabilities"))
        var no = StartTLSDialogue(.imap, serverName: "x")
        _ = no.start()
        _ = feed(&no, bytes("* OK ready\r\n"))
        #expect(feed(&no, bytes("a1 BAD Unknown command\r\n")) == .refused("STARTTLS: a1 BAD Unknown command"))
        var bye = StartTLSDialogue(.imap, serverName: "x")
        _ = bye.start()
        #expect(feed(&bye, bytes("* BYE too many\r\n")) == .refused("greeting: * BYE too many"))
    }

    @Test func pop3UsesSTLS() {
        var dialogue = StartTLSDialogue(.pop3, serverName: "x")
        #expect(dialogue.start() == .exchange([]))
        #expect(feed(&dialogue, bytes("+OK Dovecot ready.\r\n")) == .exchange(bytes("STLS\r\n")))
        #expect(feed(&dialogue, bytes("+OK Begin TLS negotiation now.\r\n")) == .handshake(after: []))
        var no = StartTLSDialogue(.pop3, serverName: "x")
        _ = no.start()
        _ = feed(&no, bytes("+OK hi\r\n"))
        #expect(feed(&no, bytes("-ERR Unknown command.\r\n")) == .refused("STLS: -ERR Unknown command."))
    }

    @Test func ftpUsesAUTHTLSAndReadsMultiLineReplies() {
        var dialogue = StartTLSDialogue(.ftp, serverName: "x")
        #expect(dialogue.start() == .exchange([]))
        let greeting = bytes("220-Welcome\r\n220-rules:\r\n 220 is not the end\r\n220 (vsFTPd 3.0.3)\r\n")
        #expect(!dialogue.isComplete(bytes("220-Welcome\r\n220-rules:\r\n 220 is not the end\r\n")))
        #expect(feed(&dialogue, greeting) == .exchange(bytes("AUTH TLS\r\n")))
        #expect(feed(&dialogue, bytes("234 Proceed with negotiation.\r\n")) == .handshake(after: []))
        var no = StartTLSDialogue(.ftp, serverName: "x")
        _ = no.start()
        _ = feed(&no, bytes("220 hi\r\n"))
        #expect(feed(&no, bytes("530 Please login with USER and PASS.\r\n"))
            == .refused("AUTH TLS: 530 Please login with USER and PASS."))
        var full = StartTLSDialogue(.ftp, serverName: "x")
        _ = full.start()
        #expect(feed(&full, bytes("421 There are too many connections.\r\n"))
            == .refused("greeting: 421 There are too many connections."))
    }

    @Test func nntpUsesSTARTTLS() {
        var dialogue = StartTLSDialogue(.nntp, serverName: "x")
        _ = dialogue.start()
        #expect(feed(&dialogue, bytes("200 news ready\r\n")) == .exchange(bytes("STARTTLS\r\n")))
        #expect(feed(&dialogue, bytes("382 Continue with TLS negotiation\r\n")) == .handshake(after: []))
        var no = StartTLSDialogue(.nntp, serverName: "x")
        _ = no.start()
        _ = feed(&no, bytes("201 read only\r\n"))
        #expect(feed(&no, bytes("580 Can not initiate TLS negotiation\r\n"))
            == .refused("STARTTLS: 580 Can not initiate TLS negotiation"))
    }

    @Test func ldapSendsTheExtendedRequestAndReadsItsResult() {
        var dialogue = StartTLSDialogue(.ldap, serverName: "x")
        let oid = Array("1.3.6.1.4.1.1466.20037".utf8)
        #expect(dialogue.start() == .exchange([0x30, 0x1D, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16] + oid))
        // ExtendedResponse: resultCode success, empty matchedDN and diagnosticMessage, responseName the OID.
        let success: [UInt8] = [0x30, 0x24, 0x02, 0x01, 0x01, 0x78, 0x1F, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
                                0x8A, 0x16] + oid
        #expect(feed(&dialogue, success) == .handshake(after: []))
        // protocolError (2) with a diagnostic, in the long length form.
        let text = Array("unsupported extended operation".utf8)
        let result: [UInt8] = [0x0A, 0x01, 0x02, 0x04, 0x00, 0x04, UInt8(text.count)] + text
        let response: [UInt8] = [0x78, UInt8(result.count)] + result
        let body: [UInt8] = [0x02, 0x01, 0x01] + response
        var no = StartTLSDialogue(.ldap, serverName: "x")
        _ = no.start()
        #expect(feed(&no, [0x30, 0x81, UInt8(body.count)] + body)
            == .refused("StartTLS result code 2: unsupported extended operation"))
        var noise = StartTLSDialogue(.ldap, serverName: "x")
        _ = noise.start()
        #expect(noise.isComplete(bytes("HTTP/1.0 400\r\n")))
        #expect(noise.received(bytes("HTTP/1.0 400\r\n")) == .failed("not an LDAP extended response"))
    }

    @Test func xmppOpensAStreamToTheNamedHostAndSendsStarttls() {
        var dialogue = StartTLSDialogue(.xmpp, serverName: "chat.example")
        guard case .exchange(let header) = dialogue.start() else {
            Issue.record("no stream header")
            return
        }
        #expect(String(decoding: header, as: UTF8.self).contains("to='chat.example'"))
        let features = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' id='1' version='1.0'>"
            + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"
        #expect(feed(&dialogue, bytes(features))
            == .exchange(bytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")))
        #expect(feed(&dialogue, bytes("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")) == .handshake(after: []))
    }

    @Test func xmppRefusals() {
        var unknown = StartTLSDialogue(.xmpp, serverName: "127.0.0.1")
        _ = unknown.start()
        let error = "<stream:stream version='1.0'><stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            + "</stream:error>"
        #expect(feed(&unknown, bytes(error)) == .refused("stream error: host-unknown"))
        var without = StartTLSDialogue(.xmpp, serverName: "x")
        _ = without.start()
        #expect(feed(&without, bytes("<stream:features><mechanisms/></stream:features>"))
            == .refused("<starttls/> not among the stream features"))
    }

    @Test func postgresqlSendsSSLRequestAndReadsOneByte() {
        var dialogue = StartTLSDialogue(.postgresql, serverName: "x")
        #expect(dialogue.start() == .exchange([0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]))
        #expect(dialogue.received([UInt8(ascii: "S")]) == .handshake(after: []))
        var no = StartTLSDialogue(.postgresql, serverName: "x")
        _ = no.start()
        #expect(no.received([UInt8(ascii: "N")]) == .refused("SSLRequest answered N (the server does not accept SSL)"))
    }

    /// A MariaDB greeting (protocol 10) with the given lower capability flags and sequence number 0.
    private func mysqlGreeting(lowerFlags: UInt16) -> [UInt8] {
        var payload: [UInt8] = [10] + Array("5.5.5-10.11.6-MariaDB".utf8) + [0]
        payload += [1, 0, 0, 0] + Array("abcdefgh".utf8) + [0]
        payload += [UInt8(lowerFlags & 0xFF), UInt8(lowerFlags >> 8), 45, 2, 0, 0xFF, 0x81]
        payload += [21] + [UInt8](repeating: 0, count: 10) + Array("ijklmnopqrst".utf8) + [0]
        return [UInt8(payload.count), 0, 0, 0] + payload
    }

    @Test func mysqlAnswersAGreetingThatOffersSSLWithTheSSLRequest() throws {
        var dialogue = StartTLSDialogue(.mysql, serverName: "x")
        #expect(dialogue.start() == .exchange([]))
        let step = feed(&dialogue, mysqlGreeting(lowerFlags: 0xFFFE))
        guard case .handshake(let request) = step else {
            Issue.record("expected a handshake, got \(step)")
            return
        }
        // A 32-byte payload, sequence 1, flags with CLIENT_SSL and CLIENT_PROTOCOL_41, then 23 zero bytes.
        #expect(request.count == 36 && Array(request[0..<4]) == [32, 0, 0, 1])
        let flags = UInt32(request[4]) | UInt32(request[5]) << 8
        #expect(flags & 0x0800 != 0 && flags & 0x0200 != 0)
        #expect(request[13...].allSatisfy { $0 == 0 })
    }

    @Test func mysqlRefusals() {
        var plain = StartTLSDialogue(.mysql, serverName: "x")
        _ = plain.start()
        #expect(feed(&plain, mysqlGreeting(lowerFlags: 0xF7FE))
            == .refused("the greeting does not offer SSL (no CLIENT_SSL capability)"))
        var full = StartTLSDialogue(.mysql, serverName: "x")
        _ = full.start()
        let message = Array("Too many connections".utf8)
        let error: [UInt8] = [UInt8(message.count + 3), 0, 0, 0, 0xFF, 0x10, 0x04] + message
        #expect(feed(&full, error) == .refused("greeting is an error: Too many connections"))
    }

    @Test func serviceNamesMapToProtocols() {
        #expect(StartTLSProtocol(service: "smtp") == .smtp)
        #expect(StartTLSProtocol(service: "imap?") == .imap)
        #expect(StartTLSProtocol(service: "jabber") == .xmpp)
        #expect(StartTLSProtocol(service: "MySQL") == .mysql)
        #expect(StartTLSProtocol(service: "ssl/imap") == nil)
        #expect(StartTLSProtocol(service: "http") == nil)
    }
}
