/// A protocol whose plain connection can be upgraded to TLS in-band, and the client's way of asking for it.
public enum StartTLSProtocol: String, Sendable, Hashable, CaseIterable {
    /// SMTP: `EHLO`, then `STARTTLS` when the EHLO answer lists it (RFC 3207).
    case smtp
    /// IMAP: `STARTTLS` (RFC 9051 §6.2.1, RFC 3501 §6.2.1).
    case imap
    /// POP3: `STLS` (RFC 2595 §4).
    case pop3
    /// FTP: `AUTH TLS` (RFC 4217 §4).
    case ftp
    /// LDAP: the StartTLS extended operation (RFC 4511 §4.14).
    case ldap
    /// XMPP: `<starttls/>` after the stream features (RFC 6120 §5.4).
    case xmpp
    /// NNTP: `STARTTLS` (RFC 4642 §2).
    case nntp
    /// PostgreSQL: the `SSLRequest` message (PostgreSQL protocol, "SSL Session Encryption").
    case postgresql
    /// MySQL and MariaDB: the SSL request packet (`CLIENT_SSL` in a short handshake response).
    case mysql

    /// The protocol of an identified service name (nmap's and the built-in database's names; `ssl/`, a trailing
    /// `?` and case are ignored); nil when the service has no in-band upgrade this scanner knows.
    public init?(service: String) {
        var name = service.lowercased()
        if name.hasPrefix("ssl/") { return nil }
        if name.hasSuffix("?") { name.removeLast() }
        switch name {
        case "smtp", "submission", "esmtp": self = .smtp
        case "imap", "imap4", "imap2": self = .imap
        case "pop3", "pop", "pop3pw": self = .pop3
        case "ftp": self = .ftp
        case "ldap": self = .ldap
        case "jabber", "xmpp", "xmpp-client", "xmpp-server", "xmpp-s2s": self = .xmpp
        case "nntp": self = .nntp
        case "postgresql", "postgres": self = .postgresql
        case "mysql", "mariadb": self = .mysql
        default: return nil
        }
    }

    /// The name used in reports (`SMTP`, `IMAP`, …).
    public var displayName: String {
        switch self {
        case .smtp: "SMTP"
        case .imap: "IMAP"
        case .pop3: "POP3"
        case .ftp: "FTP"
        case .ldap: "LDAP"
        case .xmpp: "XMPP"
        case .nntp: "NNTP"
        case .postgresql: "PostgreSQL"
        case .mysql: "MySQL"
        }
    }
}
