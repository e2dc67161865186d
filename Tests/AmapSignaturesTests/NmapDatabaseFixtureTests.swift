import AmapModel
import AmapSignatures
import Foundation
import Testing

/// Responses captured from real Debian daemons (Fixtures/daemons, see scripts/capture-fixtures.py), matched with
/// nmap's rules against the installed nmap-service-probes. The expected product and version come from the daemon's
/// Debian package (manifest.tsv's package column), not from a previous run.
@Suite struct NmapDatabaseFixtureTests {
    struct Case: CustomStringConvertible, Sendable {
        var fixture: String
        var probe: String
        var transport: Transport = .tcp
        var service: String
        var soft = false
        var product: String?
        var version: String?
        var description: String { "\(fixture) via \(probe)" }
    }

    static let cases: [Case] = [
        // openssh-server 1:9.2p1-2+deb12u10: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10".
        Case(fixture: "openssh-banner.bin", probe: "NULL", service: "ssh", product: "OpenSSH",
             version: "9.2p1 Debian 2+deb12u10"),
        Case(fixture: "openssh-v6-banner.bin", probe: "NULL", service: "ssh", product: "OpenSSH",
             version: "9.2p1 Debian 2+deb12u10"),
        // SSH on the port where HTTP is expected still greets first.
        Case(fixture: "openssh-on-http-port-http-get.bin", probe: "GetRequest", service: "ssh", product: "OpenSSH",
             version: "9.2p1 Debian 2+deb12u10"),
        // vsftpd 3.0.3-13+b2.
        Case(fixture: "vsftpd-banner.bin", probe: "NULL", service: "ftp", product: "vsftpd", version: "3.0.3"),
        // exim4-daemon-light 4.96-15+deb12u10.
        Case(fixture: "exim-banner.bin", probe: "NULL", service: "smtp", product: "Exim smtpd", version: "4.96"),
        // apache2-bin 2.4.71-1~deb12u1, nginx 1.22.1-9+deb12u11, lighttpd 1.4.69-1, squid 5.7-2+deb12u6.
        Case(fixture: "apache-http-get.bin", probe: "GetRequest", service: "http", product: "Apache httpd",
             version: "2.4.71"),
        Case(fixture: "nginx-http-http-get.bin", probe: "GetRequest", service: "http", product: "nginx",
             version: "1.22.1"),
        Case(fixture: "nginx-on-ssh-port-http-get.bin", probe: "GetRequest", service: "http", product: "nginx",
             version: "1.22.1"),
        Case(fixture: "lighttpd-http-get.bin", probe: "GetRequest", service: "http", product: "lighttpd",
             version: "1.4.69"),
        Case(fixture: "squid-http-get.bin", probe: "GetRequest", service: "http-proxy", product: "Squid http proxy",
             version: "5.7"),
        // TLS ServerHello from nginx: nmap's `ssl` line, which makes the scan restart inside TLS.
        Case(fixture: "nginx-https-tls-handshake.bin", probe: "SSLSessionReq", service: "ssl", product: "TLSv1.2"),
        // mariadb-server-core 1:10.11.19-0+deb12u1 announces "5.5.5-10.11.19-MariaDB-0+deb12u1".
        Case(fixture: "mariadb-banner.bin", probe: "NULL", service: "mysql", product: "MySQL",
             version: "5.5.5-10.11.19-MariaDB-0+deb12u1"),
        // memcached 1.6.18-1+deb12u1: "STAT version 1.6.18" in the stats answer.
        Case(fixture: "memcached-memcached-stats.bin", probe: "Memcache", service: "memcached", product: "Memcached",
             version: "1.6.18"),
        // dnsmasq-base 2.90-4~deb12u2: version.bind CH TXT answers "dnsmasq-2.90", over TCP and UDP.
        Case(fixture: "dnsmasq-tcp-dns-version-bind.bin", probe: "DNSVersionBindReqTCP", service: "domain",
             product: "dnsmasq", version: "2.90"),
        Case(fixture: "dnsmasq-udp-dns-version-bind.bin", probe: "DNSVersionBindReq", transport: .udp,
             service: "domain", product: "dnsmasq", version: "2.90"),
        // redis 7.0.15 answers an HTTP request with a RESP error; nmap names no version there.
        Case(fixture: "redis-http-get.bin", probe: "GetRequest", service: "redis", product: "Redis key-value store"),
        // Dovecot 2.3.19.1's greeting is only a soft match for imap and pop3 in nmap's database.
        Case(fixture: "dovecot-imap-banner.bin", probe: "NULL", service: "imap", soft: true),
        Case(fixture: "dovecot-pop3-banner.bin", probe: "NULL", service: "pop3", soft: true),
        // slapd 2.5.13: an anonymous bind succeeds; nmap's line names only the service.
        Case(fixture: "slapd-ldap-bind.bin", probe: "LDAPBindReq", service: "ldap"),
        // snmpd 5.9.3 answers an SNMPv1 get with community public.
        Case(fixture: "snmpd-udp-snmp-v1-get-sysdescr.bin", probe: "SNMPv1public", transport: .udp, service: "snmp",
             product: "SNMPv1 server"),
        // mosquitto 2.0.11 answers CONNECT with CONNACK.
        Case(fixture: "mosquitto-mqtt-connect.bin", probe: "mqtt", service: "mqtt"),
        // rsync 3.5.0 daemon greets with "@RSYNCD: 31.0".
        Case(fixture: "rsyncd-banner.bin", probe: "NULL", service: "rsync"),
    ]

    static let database: Result<SignatureDatabase, any Error> = Result {
        try ServiceProbesLoader.load(path: "/usr/share/nmap/nmap-service-probes").database
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        let roots = [Bundle.module.resourceURL, Bundle.module.bundleURL].compactMap { $0 }
        for root in roots {
            for folder in ["Fixtures/daemons", "Resources/Fixtures/daemons"] {
                let path = root.appendingPathComponent(folder).appendingPathComponent(name).path
                if let data = FileManager.default.contents(atPath: path) { return [UInt8](data) }
            }
        }
        throw VectorFileError.malformed(file: name, line: 0, reason: "fixture not found in the test bundle")
    }

    @Test func capturedDaemonsCoverAtLeastFifteenDaemons() {
        let daemons = Set(Self.cases.map { $0.fixture.split(separator: "-").first.map(String.init) ?? $0.fixture })
        #expect(daemons.count >= 15, "\(daemons.sorted())")
    }

    @Test(arguments: cases)
    func capturedResponseIdentifiedWithNmapRules(_ testCase: Case) throws {
        let database = try Self.database.get()
        let matcher = NmapMatcher(database: database)
        let response = try Self.fixture(testCase.fixture)
        #expect(!response.isEmpty)
        guard let probe = database.probe(named: testCase.probe, transport: testCase.transport) else {
            Issue.record("nmap's database has no probe \(testCase.probe)/\(testCase.transport)")
            return
        }
        let hit = matcher.identify(response, probe: probe, transport: testCase.transport, tunnelled: false).first
        #expect(hit?.service == testCase.service)
        #expect(hit?.isSoft == testCase.soft)
        #expect(hit?.version.product == testCase.product)
        #expect(hit?.version.version == testCase.version)
    }
}
