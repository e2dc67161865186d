import AmapSignatures
import Foundation
import Testing

/// `Resources/amap-names.txt` (`--names amap`): every line maps a service the built-in database really names to a
/// protocol ID amap 5.4 really prints.
@Suite struct AmapNameTableTests {
    /// amap 5.4's 218 response IDs as it prints them (lowercased), a fact recorded in the project's amap reference
    /// (amap-5.4.md §4).
    static let amapIDs = Set("""
        (response_of_many_applications) acap adsgone aix-netinstall amanda-index amsn
        apache-tomcat-connector_ajp12 apple-darwin-streaming-server arkeia auth bachdoor-shell backdoor-cmd
        backdoor-fxsvc backdoor-shell bittorrent blackboard-learning-system bzflag-server ccproosmsserver
        chargen checkpoint-fw1 checkpoint-fw1-authentication checkpoint-fw1-policy-server
        checkpoint-fw1-telnet-server cisco-hips-mc citrix-ica conexant-adsl-router cvs damewareremotecontrol
        dante dantz-retrospect daytime daytime-unix daytime-windows db2 dc++ dell-openmanage dhcp3d-isc
        dicom dictd distributedobjectswitch dns dns-bind dns-bind8 dns-bind9 dns-djb dns-ms dns-pdnsd
        duff-pubro-backdoor echo eggdropp finger ftp ftp-darwin giop gkrellmd glftp gnu gopher
        hp-openview-omniback2 hp-openview-storage-protect http http-apache-1 http-apache-2
        http-compaqinsightmanager http-cups http-daap http-daap-itunes http-gnutella http-hp-jet-direct
        http-iis http-iplanet http-jrun http-jserv http-limewire http-lotus-domino http-mirapoint http-ncacn
        http-net.commerce http-nettracker http-openadstream http-proxy http-roxen http-storyserver
        http-tomcat http-vnc http-weblogic hylafax imap iplanet-ens ircd ircd-hybrid iss-realsecure jabber
        jinilookupservice kde-artsd kerberos-remsh ksysguard ldap linux-gnome-desktop linux-gnome-session
        linuxconf lisa lpd lyskom magellan-osp mailhurdle mirapoint-admind mldonkey mldonkey-mlnet mon
        ms-active-sync-manager_(wcesmgr) ms-distribution-transport ms-ds ms-dtc ms-exchange
        ms-exchange-emsmta ms-location-service ms-remote-desktop-protocol ms-rpc ms-rpc-proxy-endpoint
        ms-sql msdtc mysql mysql-blocked mysql-secured nagiosd nbd-server nessus netbios-name
        netbios-session netbus netmeeting-desktopsharing netop netstat netstreamer nntp nntp-ms
        norman-njeeves nsclient ntalk ntp ntp-ms nuance-manager-protocol nuance-voice-recognition-client
        openvpn oracle-dbsnmp oracle-https oracle-rmi oracle-tns-listener ph pop2 pop3 pop3-passwd pop3-pw
        postgres psybnc pyslsk qotd raritan-console-system realserver remote-apple-events_eppc remsh rexec
        rlogin rpc rpc-nfs rsync saint-nprep sap-r3 sendlog shoutcast sieve skype slimserver slp smtp
        smtp-pix smtp-qmail smtp-trendmicro smux snmp snmp-public socks sourcegear-sourceoffsite
        spamassassin spamd ssh ssh-openssh ssl streaming-server svrloc sybase syntellect-vista systat tcpmux
        teamspeak2 teamspeakserver telnet telnet-aix telnet-raptor-firewall telnet-t-rex-proxy tftp
        timbuktu-pro time timesync tivoli_tsm-server uucp vmware-authd vnc vtun webmin webseal websm
        websphere-javaw wins x-windows zannet zebra
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    static func table() throws -> [String: String] {
        let table = AmapNameTable.loadBuiltin()
        try #require(!table.isEmpty, "amap-names.txt did not load")
        return table
    }

    @Test func theFactListIsComplete() {
        #expect(Self.amapIDs.count == 218)
    }

    @Test func everyEntryIsARealAmapID() throws {
        for (service, id) in try Self.table() {
            #expect(Self.amapIDs.contains(id), "\(service) -> \(id): not an amap 5.4 ID")
        }
    }

    @Test func everyEntryIsABuiltinService() throws {
        let database = try BuiltinDatabase.load().database
        let services = Set(database.probes.flatMap { $0.signatures.map(\.service) })
            .union(database.rpcPrograms.map(\.name))
        for service in try Self.table().keys {
            #expect(services.contains(service), "\(service) is not a service of the built-in database")
        }
    }

    @Test func theIssuesExamplesAreThere() throws {
        let table = try Self.table()
        #expect(table["domain"] == "dns")
        #expect(table["postgresql"] == "postgres")
        #expect(table["microsoft-ds"] == "ms-ds")
        #expect(table["X11"] == "x-windows")
    }
}
