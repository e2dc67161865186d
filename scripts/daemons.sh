#!/usr/bin/env bash
# Real daemons for the end-to-end and signature tests, on NON-STANDARD LOOPBACK ports only.
#   bash scripts/daemons.sh start    start every daemon not already running (idempotent), wait until ports answer
#   bash scripts/daemons.sh stop     stop everything this script started (by recorded process group), free the ports
#   (start, stop and restart take optional unit names, e.g. `restart mariadb`; the default is every unit)
#   bash scripts/daemons.sh status   one line per row of scripts/daemon-ports.tsv: observed state, ok/FAIL
# Each daemon gets its own config, data and log directory under ${AMAP_DAEMON_DIR:-/tmp/swift-amap-daemons};
# no system-wide config is read or written and no standard port is used. Needs root (to start daemons as their
# own Debian users) and the packages of scripts/daemon-packages.txt (scripts/install-test-deps.sh).
set -euo pipefail

SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
RUN="${AMAP_DAEMON_DIR:-/tmp/swift-amap-daemons}"
PIDS="$RUN/pids"
LOGS="$RUN/logs"
TLS="$RUN/tls"
TABLE="$SCRIPTS/daemon-ports.tsv"
WAIT_SECONDS="${AMAP_DAEMON_WAIT:-90}"

# Start order: the databases (slowest to become ready) first, so their start-up overlaps the others.
UNITS=(postgresql mariadb sshd vsftpd exim nginx apache2 dovecot redis slapd dnsmasq snmpd memcached
       mosquitto rsyncd ngircd lighttpd squid prosody silent epmd erlnode tigervnc redis-protected mariadb-full
       vsftpd-full dropbear tinysshd pure-ftpd knot unbound named mini-httpd tinyproxy privoxy svnserve git-daemon
       nats beanstalkd gearmand cvs-pserver telnetd oidentd cfingerd distccd zabbix-agent python-http etcd mpd murmur
       iperf3 gpsd krb5kdc tftpd chronyd)
# Issue 14 part 2
UNITS+=(proftpd pgbouncer dante tarantool influxdb tor haproxy caddy h2o icecast cups samba nbd munin kamailio clamd
        node-inspector nut bitlbee c-icap)
# Issue 14 part 3
UNITS+=(nsca openflow coturn transmission qemu snapserver)
# Issue 12: ONC RPC
UNITS+=(rpcbind)
# The proxies the scans of --proxy go through: dante (the unit above, without authentication), dante-auth and
# squid-connect. Their ports are in scripts/proxy-ports.tsv, checked at start like the table's.
UNITS+=(dante-auth squid-connect)
PROXY_TABLE="$SCRIPTS/proxy-ports.tsv"
# The test account of the proxies with authentication: dante's username method checks the system's users, so the
# script makes this one (no home, no shell, no login; a password only these proxies on loopback ask for).
PROXY_USER=amapproxy
PROXY_PASSWORD=amap-proxy-pw

log() { printf '%s\n' "$*" >&2; }

# start_time PID: the process's start time in clock ticks since boot (field 22 of /proc/PID/stat), which
# together with the pid names one process for good (a pid alone can be reused after the daemon died).
start_time() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    # shellcheck disable=SC2086 # split the fields on purpose
    set -- $stat
    printf '%s' "${20}"
}

# unit_pid UNIT: prints the pid of the unit's running process; fails when it is not running (or the pid now
# belongs to another process).
unit_pid() {
    local f="$PIDS/$1.pid" pid recorded now
    [ -s "$f" ] || return 1
    read -r pid recorded <"$f" || true
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    now="$(start_time "$pid")" || return 1
    [ -z "$recorded" ] || [ "$recorded" = "$now" ] || return 1
    printf '%s' "$pid"
}

# launch UNIT CMD...: runs CMD in the foreground of a new session (so its process group id is its pid),
# output to logs/UNIT.log, and records the pid. `stop` signals the whole group.
launch() {
    local unit="$1"
    shift
    setsid "$@" </dev/null >>"$LOGS/$unit.log" 2>&1 &
    local pid=$!
    echo "$pid $(start_time "$pid")" >"$PIDS/$unit.pid"
}

# drop USER: the words of a setpriv prefix that runs a command with USER's uid, primary gid and groups
# (setpriv execs in place, unlike su/runuser, so the recorded pid stays the daemon's own).
drop() {
    printf 'setpriv --reuid=%s --regid=%s --init-groups --' "$(id -u "$1")" "$(id -g "$1")"
}

# as USER CMD...: run CMD now as USER.
as() {
    local user="$1"
    shift
    # shellcheck disable=SC2046 # drop prints separate words on purpose
    $(drop "$user") "$@"
}

# unit_dir UNIT [OWNER]: a fresh-enough directory for the unit, owned by OWNER when given.
unit_dir() {
    local d="$RUN/$1"
    mkdir -p "$d"
    if [ -n "${2:-}" ]; then chown "$2:" "$d"; fi
    printf '%s' "$d"
}

# make_tls: a test CA and a leaf certificate it signs (CN=localhost, SANs for localhost, mail.amap.test, 127.0.0.1
# and ::1), made once per run dir. cert.pem is the chain the daemons serve (leaf, then CA); leaf.pem and ca.pem
# alone are what the STARTTLS tests compare the scanner's report with. EC P-256 keys: made in milliseconds.
make_tls() {
    mkdir -p "$TLS"
    if [ ! -s "$TLS/ca.pem" ] || [ ! -s "$TLS/leaf.pem" ] || [ ! -s "$TLS/cert.pem" ] || [ ! -s "$TLS/key.pem" ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
            -subj "/CN=swift-amap test CA/O=swift-amap test" \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
            -keyout "$TLS/ca-key.pem" -out "$TLS/ca.pem" 2>/dev/null
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost/O=swift-amap test" \
            -keyout "$TLS/key.pem" -out "$TLS/leaf.csr" 2>/dev/null
        printf '%s\n' "subjectAltName=DNS:localhost,DNS:mail.amap.test,IP:127.0.0.1,IP:::1" \
            "basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" >"$TLS/leaf.ext"
        openssl x509 -req -in "$TLS/leaf.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca-key.pem" -CAcreateserial -days 30 \
            -extfile "$TLS/leaf.ext" -out "$TLS/leaf.pem" 2>/dev/null
        cat "$TLS/leaf.pem" "$TLS/ca.pem" >"$TLS/cert.pem"
        chmod 600 "$TLS/key.pem" "$TLS/ca-key.pem"
        chmod 644 "$TLS/leaf.pem" "$TLS/ca.pem" "$TLS/cert.pem"
    fi
}

# copy_key UNIT USER: a private copy of the key pair readable only by USER (some daemons insist).
copy_key() {
    local d="$RUN/$1/tls"
    mkdir -p "$d"
    cp "$TLS/cert.pem" "$TLS/key.pem" "$d/"
    chown -R "$2:" "$d"
    chmod 700 "$d"
    chmod 600 "$d/key.pem"
    printf '%s' "$d"
}

start_sshd() {
    local d
    d="$(unit_dir sshd)"
    chmod 755 "$d"
    for t in ed25519 ecdsa rsa; do
        [ -s "$d/ssh_host_${t}_key" ] || ssh-keygen -q -t "$t" -N '' -C amap-test -f "$d/ssh_host_${t}_key"
    done
    mkdir -p /run/sshd # sshd's privilege-separation directory (empty, root-owned; sshd refuses to start without it)
    cat >"$d/sshd_config" <<EOF
ListenAddress 127.0.0.1:18122
ListenAddress [::1]:18122
ListenAddress 127.0.0.1:18080
HostKey $d/ssh_host_ed25519_key
HostKey $d/ssh_host_ecdsa_key
HostKey $d/ssh_host_rsa_key
PidFile $d/sshd.pid
UsePAM no
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile none
AllowUsers nobody-at-all
X11Forwarding no
AllowTcpForwarding no
Subsystem sftp internal-sftp
EOF
    launch sshd /usr/sbin/sshd -D -e -f "$d/sshd_config"
}

start_vsftpd() {
    local d
    d="$(unit_dir vsftpd)"
    mkdir -p "$d/empty" "$d/ftproot/pub"
    chmod 555 "$d/empty"
    chmod 555 "$d/ftproot"
    echo "swift-amap test file" >"$d/ftproot/pub/README"
    cat >"$d/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=18021
background=NO
anonymous_enable=YES
# vsftpd's default anonymous user "ftp" may not exist (vsftpd then answers "500 OOPS"); nobody always does.
ftp_username=nobody
anon_root=$d/ftproot
no_anon_password=YES
local_enable=NO
write_enable=NO
secure_chroot_dir=$d/empty
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=18900
pasv_max_port=18909
xferlog_enable=NO
vsftpd_log_file=$d/vsftpd.log
seccomp_sandbox=NO
# AUTH TLS on offer (--starttls tests), never required.
ssl_enable=YES
allow_anon_ssl=YES
force_local_data_ssl=NO
force_local_logins_ssl=NO
rsa_cert_file=$TLS/cert.pem
rsa_private_key_file=$TLS/key.pem
EOF
    launch vsftpd /usr/sbin/vsftpd "$d/vsftpd.conf"
}

start_exim() {
    local d
    d="$(unit_dir exim)"
    mkdir -p "$d/spool" "$d/log"
    chown -R Debian-exim: "$d/spool" "$d/log"
    local tls
    tls="$(copy_key exim Debian-exim)"
    cat >"$d/exim.conf" <<EOF
primary_hostname = mail.amap.test
daemon_smtp_ports = 18025
local_interfaces = <; 127.0.0.1 ; ::1
spool_directory = $d/spool
log_file_path = $d/log/%slog
pid_file_path = $d/exim.pid
exim_user = Debian-exim
exim_group = Debian-exim
keep_environment =
tls_advertise_hosts = *
tls_certificate = $tls/cert.pem
tls_privatekey = $tls/key.pem
queue_only = true
acl_smtp_rcpt = acl_check_rcpt
begin acl
acl_check_rcpt:
  deny message = relay not permitted
begin routers
begin transports
EOF
    launch exim /usr/sbin/exim4 -C "$d/exim.conf" -bdf
}

start_nginx() {
    local d
    d="$(unit_dir nginx)"
    mkdir -p "$d/html" "$d/tmp"
    echo '<html><head><title>swift-amap nginx</title></head><body>nginx test page</body></html>' >"$d/html/index.html"
    cat >"$d/nginx.conf" <<EOF
daemon off;
user www-data;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 128; }
http {
    access_log $d/access.log;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    types { text/html html; }
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:18081;
        listen [::1]:18081;
        listen 127.0.0.1:18022;
        server_name localhost;
        root $d/html;
        index index.html;
    }
    server {
        listen 127.0.0.1:18443 ssl;
        server_name localhost;
        ssl_certificate $TLS/cert.pem;
        ssl_certificate_key $TLS/key.pem;
        root $d/html;
        index index.html;
    }
}
EOF
    launch nginx /usr/sbin/nginx -e "$d/error.log" -p "$d" -c "$d/nginx.conf"
}

start_apache2() {
    local d m=/usr/lib/apache2/modules
    d="$(unit_dir apache2)"
    mkdir -p "$d/htdocs" "$d/run"
    echo '<html><head><title>swift-amap apache</title></head><body>apache test page</body></html>' >"$d/htdocs/index.html"
    cat >"$d/apache2.conf" <<EOF
ServerRoot $d
PidFile $d/apache2.pid
DefaultRuntimeDir $d/run
Mutex file:$d/run default
Listen 127.0.0.1:18880
ServerName localhost
User www-data
Group www-data
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule dir_module $m/mod_dir.so
LoadModule mime_module $m/mod_mime.so
TypesConfig /etc/mime.types
ErrorLog $d/error.log
LogFormat "%h %l %u %t \"%r\" %>s %b" common
CustomLog $d/access.log common
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
DocumentRoot $d/htdocs
<Directory $d/htdocs>
    Require all granted
</Directory>
DirectoryIndex index.html
EOF
    launch apache2 /usr/sbin/apache2 -f "$d/apache2.conf" -DFOREGROUND
}

start_dovecot() {
    local d
    d="$(unit_dir dovecot)"
    mkdir -p "$d/mail"
    chown dovecot: "$d/mail"
    # One test account (password "amap-test"); the login never needs to succeed for the tests.
    echo "amap:{PLAIN}amap-test" >"$d/users"
    cat >"$d/dovecot.conf" <<EOF
instance_name = swift-amap-dovecot
base_dir = $d/run
state_dir = $d/state
protocols = imap pop3
listen = 127.0.0.1, ::1
log_path = $d/dovecot.log
ssl = yes
ssl_cert = <$TLS/cert.pem
ssl_key = <$TLS/key.pem
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = $d/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$d/mail/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    port = 18143
  }
  inet_listener imaps {
    port = 18993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 18110
  }
  inet_listener pop3s {
    port = 18995
    ssl = yes
  }
}
EOF
    launch dovecot /usr/sbin/dovecot -F -c "$d/dovecot.conf"
}

start_redis() {
    local d
    d="$(unit_dir redis redis)"
    cat >"$d/redis.conf" <<EOF
bind 127.0.0.1 ::1
port 18379
protected-mode yes
daemonize no
dir $d
logfile ""
save ""
appendonly no
EOF
    launch redis $(drop redis) /usr/bin/redis-server "$d/redis.conf"
}

start_postgresql() {
    local d bin
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
    d="$(unit_dir postgresql postgres)"
    chmod 700 "$d"
    local tls
    tls="$(copy_key postgresql postgres)"
    mkdir -p "$d/sock"
    chown postgres: "$d/sock"
    if [ ! -s "$d/data/PG_VERSION" ]; then
        rm -rf "$d/data"
        as postgres "$bin/initdb" -D "$d/data" -U postgres --auth=trust -E UTF8 --locale=C >>"$LOGS/postgresql.log" 2>&1
    fi
    launch postgresql $(drop postgres) "$bin/postgres" -D "$d/data" -p 18432 -k "$d/sock" \
        -c "listen_addresses=127.0.0.1,::1" -c ssl=on -c "ssl_cert_file=$tls/cert.pem" -c "ssl_key_file=$tls/key.pem" \
        -c logging_collector=off -c shared_buffers=16MB
}

start_mariadb() {
    local d
    d="$(unit_dir mariadb mysql)"
    local tls
    tls="$(copy_key mariadb mysql)"
    if [ ! -d "$d/data/mysql" ]; then
        rm -rf "$d/data"
        mariadb-install-db --no-defaults --datadir="$d/data" --user=mysql --skip-test-db \
            --auth-root-authentication-method=socket >>"$LOGS/mariadb.log" 2>&1
    fi
    launch mariadb /usr/sbin/mariadbd --no-defaults --datadir="$d/data" --user=mysql --bind-address=127.0.0.1 \
        --port=18306 --socket="$d/mariadb.sock" --pid-file="$d/mariadb.pid" \
        --log-error="$d/error.log" --innodb-buffer-pool-size=16M --skip-log-bin \
        --extra-port=18307 --extra-max-connections=1 --ssl-cert="$tls/cert.pem" --ssl-key="$tls/key.pem"
}

start_slapd() {
    local d
    d="$(unit_dir slapd openldap)"
    mkdir -p "$d/db"
    chown openldap: "$d/db"
    local tls
    tls="$(copy_key slapd openldap)"
    cat >"$d/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $d/slapd.pid
argsfile $d/slapd.args
TLSCertificateFile $tls/cert.pem
TLSCertificateKeyFile $tls/key.pem
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 16777216
suffix "dc=amap,dc=test"
rootdn "cn=admin,dc=amap,dc=test"
rootpw amap-test
directory $d/db
EOF
    if [ ! -s "$d/db/data.mdb" ]; then
        printf 'dn: dc=amap,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: swift-amap test\ndc: amap\n' \
            >"$d/base.ldif"
        as openldap /usr/sbin/slapadd -f "$d/slapd.conf" -l "$d/base.ldif" >>"$LOGS/slapd.log" 2>&1
    fi
    launch slapd /usr/sbin/slapd -d 0 -u openldap -g openldap -f "$d/slapd.conf" \
        -h "ldap://127.0.0.1:18389/ ldap://[::1]:18389/"
}

start_dnsmasq() {
    local d
    d="$(unit_dir dnsmasq)"
    printf '127.0.0.1 www.amap.test\n::1 www.amap.test\n' >"$d/hosts"
    cat >"$d/dnsmasq.conf" <<EOF
port=18053
listen-address=127.0.0.1
listen-address=::1
bind-interfaces
no-resolv
no-hosts
no-poll
addn-hosts=$d/hosts
address=/amap.test/127.0.0.1
user=dnsmasq
group=nogroup
pid-file=$d/dnsmasq.pid
log-facility=-
EOF
    launch dnsmasq /usr/sbin/dnsmasq -k -C "$d/dnsmasq.conf"
}

start_snmpd() {
    local d
    d="$(unit_dir snmpd Debian-snmp)"
    mkdir -p "$d/persist"
    chown Debian-snmp: "$d/persist"
    cat >"$d/snmpd.conf" <<EOF
rocommunity public 127.0.0.1
rocommunity6 public ::1
sysLocation swift-amap test rack
sysContact swift-amap tests
EOF
    launch snmpd env SNMP_PERSISTENT_DIR="$d/persist" MIBS= /usr/sbin/snmpd -f -Lo -C -c "$d/snmpd.conf" \
        -u Debian-snmp -g Debian-snmp -p "$d/snmpd.pid" udp:127.0.0.1:18161 udp6:[::1]:18161
}

start_memcached() {
    unit_dir memcached >/dev/null
    # -U: the UDP protocol too, on the same port (off by default since memcached 1.5.6).
    launch memcached /usr/bin/memcached -l 127.0.0.1 -p 18211 -U 18211 -u memcache -m 16 -c 128
}

start_mosquitto() {
    local d
    d="$(unit_dir mosquitto mosquitto)"
    cat >"$d/mosquitto.conf" <<EOF
listener 18883 127.0.0.1
allow_anonymous true
persistence false
log_dest stderr
user mosquitto
EOF
    launch mosquitto /usr/sbin/mosquitto -c "$d/mosquitto.conf"
}

start_rsyncd() {
    local d
    d="$(unit_dir rsyncd nobody)"
    mkdir -p "$d/pub"
    echo "swift-amap test file" >"$d/pub/README"
    cat >"$d/rsyncd.conf" <<EOF
pid file = $d/rsyncd.pid
log file = $d/rsyncd.log
use chroot = no
[pub]
    path = $d/pub
    comment = swift-amap test module
    read only = yes
EOF
    launch rsyncd $(drop nobody) /usr/bin/rsync --daemon --no-detach --config="$d/rsyncd.conf" \
        --address=127.0.0.1 --port=18873
}

start_ngircd() {
    local d
    d="$(unit_dir ngircd irc)"
    cat >"$d/ngircd.conf" <<EOF
[Global]
    Name = irc.amap.test
    Info = swift-amap test IRC server
    Listen = 127.0.0.1
    Ports = 18667
    MotdPhrase = swift-amap test server
    PidFile = $d/ngircd.pid
    ServerUID = irc
    ServerGID = irc
[Limits]
    # The test suites scan this daemon from several processes at once; ngircd's default cap of 5 connections
    # per address would refuse some of them at random. The engine's handling of such caps has its own test.
    MaxConnectionsIP = 0
[Options]
    DNS = no
    Ident = no
    PAM = no
[SSL]
EOF
    chmod 644 "$d/ngircd.conf"
    launch ngircd /usr/sbin/ngircd -n -f "$d/ngircd.conf"
}

start_lighttpd() {
    local d
    d="$(unit_dir lighttpd www-data)"
    mkdir -p "$d/htdocs"
    echo '<html><head><title>swift-amap lighttpd</title></head><body>lighttpd test page</body></html>' \
        >"$d/htdocs/index.html"
    cat >"$d/lighttpd.conf" <<EOF
server.document-root = "$d/htdocs"
server.bind = "127.0.0.1"
server.port = 18088
server.username = "www-data"
server.groupname = "www-data"
server.pid-file = "$d/lighttpd.pid"
server.errorlog = "$d/error.log"
server.modules = ()
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html" )
EOF
    launch lighttpd /usr/sbin/lighttpd -D -f "$d/lighttpd.conf"
}

# squid_base DIR: the settings every squid of the suite shares (no cache, no pinger, no ICP/HTCP, logs in DIR,
# names looked up on loopback only), printed for the unit's squid.conf.
squid_base() {
    local d=$1
    cat <<EOF
pid_filename $d/squid.pid
cache_log $d/cache.log
access_log $d/access.log
cache_store_log none
cache deny all
cache_mem 8 MB
coredump_dir $d
cache_effective_user proxy
cache_effective_group proxy
pinger_enable off
dns_nameservers 127.0.0.1
icp_port 0
htcp_port 0
shutdown_lifetime 1 seconds
EOF
}

start_squid() {
    local d
    d="$(unit_dir squid proxy)"
    {
        printf 'http_port 127.0.0.1:18128\nvisible_hostname proxy.amap.test\n'
        squid_base "$d"
        printf 'acl localhost_src src 127.0.0.1/32 ::1\nhttp_access deny all\n'
    } >"$d/squid.conf"
    launch squid /usr/sbin/squid -N -f "$d/squid.conf"
}

start_prosody() {
    local d
    d="$(unit_dir prosody prosody)"
    mkdir -p "$d/data"
    chown prosody: "$d/data"
    local tls
    tls="$(copy_key prosody prosody)"
    cat >"$d/prosody.cfg.lua" <<EOF
pidfile = "$d/prosody.pid"
data_path = "$d/data"
interfaces = { "127.0.0.1" }
c2s_ports = { 18222 }
s2s_ports = { 18269 }
c2s_direct_tls_ports = { }
s2s_direct_tls_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "version"; "uptime"; "time" }
modules_disabled = { "posix" }
authentication = "internal_hashed"
c2s_require_encryption = false
s2s_require_encryption = false
s2s_secure_auth = false
ssl = { certificate = "$tls/cert.pem"; key = "$tls/key.pem" }
log = { { levels = { min = "info" }, to = "console" } }
VirtualHost "amap.test"
-- The --starttls test scans "localhost": the stream header names the host as the user named it.
VirtualHost "localhost"
EOF
    launch prosody $(drop prosody) env HOME="$d" /usr/bin/prosody -F --config "$d/prosody.cfg.lua"
}

# wait_port ADDRESS PORT SECONDS: wait until a TCP port accepts connections.
wait_port() {
    local i
    for ((i = 0; i < $3 * 5; i++)); do
        if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
        sleep 0.2
    done
    return 1
}

# Erlang's port mapper on its own port (its NAMES answer carries the port it listens on, here 18369).
start_epmd() {
    unit_dir epmd >/dev/null
    launch epmd $(drop nobody) /usr/bin/epmd -port 18369 -address 127.0.0.1
}

# An Erlang node registered with that epmd (so NAMES lists a node); its distribution port is 18370, loopback only.
start_erlnode() {
    local d
    d="$(unit_dir erlnode nobody)"
    wait_port 127.0.0.1 18369 10 || { log "  erlnode: epmd does not answer on 18369"; return 1; }
    launch erlnode $(drop nobody) env HOME="$d" ERL_EPMD_PORT=18369 /usr/bin/erl -sname amap -noshell -noinput \
        -start_epmd false -setcookie amap-test-cookie +S 1:1 +A 1 -kernel inet_dist_use_interface '{127,0,0,1}' \
        -kernel inet_dist_listen_min 18370 -kernel inet_dist_listen_max 18370 -eval 'timer:sleep(infinity).'
}

# TigerVNC's Xvnc with VNC authentication. After 3 failed logins from an address it refuses that address for an
# hour with "Too many security failures" (its blacklist): the end-to-end tests put it into that state.
# -displayfd lets the X server pick a free display number (its unix socket only; no X11 TCP port).
start_tigervnc() {
    local d
    d="$(unit_dir tigervnc nobody)"
    mkdir -p /tmp/.X11-unix
    chmod 1777 /tmp/.X11-unix
    echo amap-test | vncpasswd -f >"$d/passwd"
    chown nobody: "$d/passwd"
    chmod 600 "$d/passwd"
    # The display number goes to fd 3 (a file): Xvnc closes the -displayfd descriptor, and its log must stay on fd 2.
    # shellcheck disable=SC2016 # expanded by the inner shell
    launch tigervnc $(drop nobody) env HOME="$d" bash -c 'exec 3>"$1/display"; exec /usr/bin/Xtigervnc -displayfd 3 \
        -nolisten tcp -rfbport 18590 -interface 127.0.0.1 -SecurityTypes VncAuth -PasswordFile "$1/passwd" \
        -BlacklistThreshold 3 -BlacklistTimeout 3600 -desktop swift-amap -geometry 320x240 -depth 16' _ "$d"
}

# Redis in protected mode: redis only lets 127.0.0.1 and ::1 in without a password, so a loopback relay on 18380
# that connects to redis from 127.0.0.2 gets redis' real protected-mode refusal.
start_redis-protected() {
    unit_dir redis-protected >/dev/null
    launch redis-protected $(drop nobody) /usr/bin/socat TCP-LISTEN:18380,bind=127.0.0.1,reuseaddr,fork \
        TCP:127.0.0.1:18379,bind=127.0.0.2
}

# MariaDB's extra port (18307) allows one connection (and one more for SUPER); two clients that hold their
# connections make it answer every other client "Too many connections".
start_mariadb-full() {
    local d
    d="$(unit_dir mariadb-full)"
    cat >"$d/hold.sh" <<EOF
#!/usr/bin/env bash
sock="$RUN/mariadb/mariadb.sock"
for ((i = 0; i < 300; i++)); do
    # CONNECTION ADMIN: the second holder takes the slot kept for administrators.
    mariadb --no-defaults --socket="\$sock" -u root \
        -e "CREATE USER IF NOT EXISTS 'amaphold'@'%'; GRANT CONNECTION ADMIN ON *.* TO 'amaphold'@'%'" && break
    sleep 0.2
done
hold() {
    while :; do
        mariadb --no-defaults -h 127.0.0.1 -P 18307 -u amaphold -e 'SELECT SLEEP(31536000)' >/dev/null 2>&1
        sleep 0.5
    done
}
hold & sleep 0.5
hold & wait
EOF
    launch mariadb-full bash "$d/hold.sh"
}

# vsftpd limited to one client; a connection held open makes it answer every other client with its 421 reply.
start_vsftpd-full() {
    local d
    d="$(unit_dir vsftpd-full)"
    mkdir -p "$d/empty" "$d/ftproot"
    chmod 555 "$d/empty" "$d/ftproot"
    cat >"$d/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=18023
background=NO
anonymous_enable=YES
# vsftpd's default anonymous user "ftp" may not exist (vsftpd then answers "500 OOPS"); nobody always does.
ftp_username=nobody
anon_root=$d/ftproot
local_enable=NO
write_enable=NO
secure_chroot_dir=$d/empty
max_clients=1
idle_session_timeout=86400
xferlog_enable=NO
vsftpd_log_file=$d/vsftpd.log
seccomp_sandbox=NO
EOF
    cat >"$d/hold.py" <<EOF
import socket, time
while True:
    try:
        with socket.create_connection(("127.0.0.1", 18023), timeout=5) as s:
            s.settimeout(None)
            while s.recv(4096):
                pass
    except OSError:
        pass
    time.sleep(0.5)
EOF
    launch vsftpd-full bash -c "/usr/sbin/vsftpd '$d/vsftpd.conf' & sleep 0.5; exec python3 '$d/hold.py'"
}

# Second and third implementations of protocols the daemons above already serve: the built-in lines were written
# from one implementation and are checked on these (held out).
start_dropbear() {
    local d
    d="$(unit_dir dropbear)"
    [ -s "$d/ed25519_host_key" ] || dropbearkey -t ed25519 -f "$d/ed25519_host_key" >/dev/null 2>&1
    launch dropbear /usr/sbin/dropbear -F -E -s -p 127.0.0.1:18124 -r "$d/ed25519_host_key" -P "$d/dropbear.pid"
}

# tinysshd is started per connection (inetd-style); socat listens for it.
start_tinysshd() {
    local d
    d="$(unit_dir tinysshd)"
    [ -d "$d/keys" ] || tinysshd-makekey "$d/keys" >/dev/null 2>&1
    launch tinysshd /usr/bin/socat TCP-LISTEN:18126,bind=127.0.0.1,reuseaddr,fork EXEC:"/usr/sbin/tinysshd $d/keys"
}

# Pure-FTPd cannot be installed beside vsftpd (both conflict with any other 'ftp-server'): scripts/install-test-deps.sh
# unpacks it under /opt/swift-amap-daemons (scripts/daemon-unpack-packages.txt); an installed one is used if present.
start_pure-ftpd() {
    local binary=/opt/swift-amap-daemons/pure-ftpd/usr/sbin/pure-ftpd
    [ -x "$binary" ] || binary=/usr/sbin/pure-ftpd
    unit_dir pure-ftpd >/dev/null
    launch pure-ftpd "$binary" -S 127.0.0.1,18024 -e -A -E -p 18910:18919 -P 127.0.0.1
}

start_knot() {
    local d
    d="$(unit_dir knot knot)"
    cat >"$d/knot.conf" <<EOF
server:
    rundir: "$d"
    user: knot:knot
    listen: 127.0.0.1@18055
database:
    storage: "$d"
log:
  - target: stderr
    any: warning
EOF
    chmod 644 "$d/knot.conf"
    launch knot /usr/sbin/knotd -c "$d/knot.conf"
}

start_unbound() {
    local d
    d="$(unit_dir unbound unbound)"
    cat >"$d/unbound.conf" <<EOF
server:
    interface: 127.0.0.1
    port: 18056
    do-daemonize: no
    username: "unbound"
    chroot: ""
    directory: "$d"
    pidfile: "$d/unbound.pid"
    use-syslog: no
    logfile: ""
    access-control: 127.0.0.0/8 allow
    do-ip6: no
    num-threads: 1
    incoming-num-tcp: 64
remote-control:
    control-enable: no
EOF
    launch unbound /usr/sbin/unbound -d -c "$d/unbound.conf"
}

start_named() {
    local d
    d="$(unit_dir named bind)"
    cat >"$d/named.conf" <<EOF
options {
    directory "$d";
    pid-file "$d/named.pid";
    listen-on port 18057 { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
};
controls { };
EOF
    launch named /usr/sbin/named -g -u bind -c "$d/named.conf"
}

start_mini-httpd() {
    local d
    d="$(unit_dir mini-httpd)"
    mkdir -p "$d/htdocs"
    echo '<html><head><title>swift-amap mini_httpd</title></head><body>mini_httpd test page</body></html>' \
        >"$d/htdocs/index.html"
    launch mini-httpd /usr/sbin/mini_httpd -D -h 127.0.0.1 -p 18090 -d "$d/htdocs" -u nobody -l "$d/access.log" \
        -i "$d/mini_httpd.pid"
}

start_tinyproxy() {
    local d
    d="$(unit_dir tinyproxy tinyproxy)"
    cat >"$d/tinyproxy.conf" <<EOF
User tinyproxy
Group tinyproxy
Port 18129
Listen 127.0.0.1
Timeout 60
MaxClients 16
Allow 127.0.0.1
PidFile "$d/tinyproxy.pid"
EOF
    launch tinyproxy /usr/bin/tinyproxy -d -c "$d/tinyproxy.conf"
}

start_privoxy() {
    local d
    d="$(unit_dir privoxy privoxy)"
    cat >"$d/config" <<EOF
confdir /etc/privoxy
logdir $d
listen-address 127.0.0.1:18118
toggle 1
enable-remote-toggle 0
enable-edit-actions 0
EOF
    launch privoxy /usr/sbin/privoxy --no-daemon --user privoxy "$d/config"
}

start_svnserve() {
    local d
    d="$(unit_dir svnserve nobody)"
    mkdir -p "$d/repos"
    chown nobody: "$d/repos"
    [ -d "$d/repos/amap" ] || as nobody svnadmin create "$d/repos/amap"
    launch svnserve $(drop nobody) /usr/bin/svnserve -d --foreground --listen-host 127.0.0.1 --listen-port 18690 \
        -r "$d/repos"
}

start_git-daemon() {
    local d
    d="$(unit_dir git-daemon nobody)"
    [ -d "$d/amap.git" ] || as nobody git init -q --bare "$d/amap.git"
    launch git-daemon $(drop nobody) env HOME="$d" /usr/bin/git daemon --listen=127.0.0.1 --port=18418 \
        --base-path="$d" --export-all --reuseaddr "$d"
}

start_nats() {
    unit_dir nats >/dev/null
    launch nats $(drop nobody) /usr/sbin/nats-server -a 127.0.0.1 -p 18422 -m 0
}

start_beanstalkd() {
    unit_dir beanstalkd >/dev/null
    launch beanstalkd $(drop nobody) /usr/bin/beanstalkd -l 127.0.0.1 -p 18300
}

start_gearmand() {
    local d
    d="$(unit_dir gearmand gearman)"
    launch gearmand $(drop gearman) /usr/sbin/gearmand -L 127.0.0.1 -p 18730 -l "$d/gearmand.log" -t 1
}

# inetd-style servers: socat accepts and execs the server on the connected socket (nofork), as inetd would.
start_cvs-pserver() {
    local d
    d="$(unit_dir cvs-pserver nobody)"
    [ -d "$d/cvsroot/CVSROOT" ] || as nobody cvs -d "$d/cvsroot" init
    launch cvs-pserver $(drop nobody) /usr/bin/socat TCP-LISTEN:18401,bind=127.0.0.1,reuseaddr,fork \
        EXEC:"/usr/bin/cvs --allow-root=$d/cvsroot pserver",nofork,stderr
}

start_telnetd() {
    unit_dir telnetd >/dev/null
    launch telnetd /usr/bin/socat TCP-LISTEN:18092,bind=127.0.0.1,reuseaddr,fork EXEC:/usr/sbin/telnetd,nofork
}

start_cfingerd() {
    unit_dir cfingerd >/dev/null
    launch cfingerd /usr/bin/socat TCP-LISTEN:18079,bind=127.0.0.1,reuseaddr,fork EXEC:/usr/sbin/cfingerd,nofork
}

start_oidentd() {
    unit_dir oidentd >/dev/null
    launch oidentd /usr/sbin/oidentd -i -S -a 127.0.0.1 -p 18113 -u nobody -g nogroup
}

start_distccd() {
    local d
    d="$(unit_dir distccd)"
    # 16 children: a scan sends its probes to a port in parallel, and each child waits for its client's DIST token.
    launch distccd /usr/bin/distccd --no-detach --daemon --listen 127.0.0.1 -p 18632 --allow 127.0.0.1 -j 16 \
        --user nobody --log-stderr -P "$d/distccd.pid"
}

start_zabbix-agent() {
    local d
    d="$(unit_dir zabbix-agent zabbix)"
    cat >"$d/zabbix_agentd.conf" <<EOF
PidFile=$d/zabbix_agentd.pid
LogType=console
Server=127.0.0.1
ServerActive=
ListenIP=127.0.0.1
ListenPort=18050
StartAgents=8
Hostname=amap-test
EOF
    chmod 644 "$d/zabbix_agentd.conf"
    launch zabbix-agent $(drop zabbix) /usr/sbin/zabbix_agentd -f -c "$d/zabbix_agentd.conf"
}

# CPython's http.server, the HTTP server most often left running on an odd port.
start_python-http() {
    local d
    d="$(unit_dir python-http nobody)"
    echo 'swift-amap python http.server' >"$d/index.html"
    # http.server's own listen backlog is 5; a scan opens more connections than that at once.
    # shellcheck disable=SC2016 # the Python code is single-quoted on purpose
    launch python-http $(drop nobody) /usr/bin/python3 -c 'import functools, sys, http.server as h
h.ThreadingHTTPServer.request_queue_size = 128
handler = functools.partial(h.SimpleHTTPRequestHandler, directory=sys.argv[1])
h.ThreadingHTTPServer(("127.0.0.1", 18091), handler).serve_forever()' "$d"
}

start_etcd() {
    local d
    d="$(unit_dir etcd nobody)"
    launch etcd $(drop nobody) /usr/bin/etcd --name amap --data-dir "$d/data" \
        --listen-client-urls http://127.0.0.1:18237 --advertise-client-urls http://127.0.0.1:18237 \
        --listen-peer-urls http://127.0.0.1:18238 --initial-advertise-peer-urls http://127.0.0.1:18238 \
        --initial-cluster amap=http://127.0.0.1:18238 --log-level error
}

# Music Player Daemon with a null audio output and an empty music directory.
start_mpd() {
    local d
    d="$(unit_dir mpd nobody)"
    mkdir -p "$d/music"
    chown nobody: "$d/music"
    cat >"$d/mpd.conf" <<EOF
bind_to_address "127.0.0.1"
port "18660"
music_directory "$d/music"
db_file "$d/db"
audio_output {
    type "null"
    name "null"
}
EOF
    launch mpd $(drop nobody) /usr/bin/mpd --no-daemon --stderr "$d/mpd.conf"
}

# Mumble server (murmurd): TLS on TCP, and the UDP ping on the same port.
start_murmur() {
    local d
    d="$(unit_dir murmur nobody)"
    # autobanAttempts=0: murmurd otherwise bans (resets) an address that connects 10 times in 2 minutes, as a scan does.
    printf 'host=127.0.0.1\nport=18738\ndatabase=%s/murmur.sqlite\nlogfile=\nice=\nautobanAttempts=0\n' \
        "$d" >"$d/murmur.ini"
    launch murmur $(drop nobody) /usr/sbin/murmurd -fg -ini "$d/murmur.ini"
}

# iperf3 serves one client at a time: a second connection gets "busy" (one byte, then a close).
start_iperf3() {
    unit_dir iperf3 >/dev/null
    launch iperf3 $(drop nobody) /usr/bin/iperf3 --server --bind 127.0.0.1 --port 18201
}

# gpsd without a GPS device: it still greets every client with its VERSION object (loopback only without -G).
start_gpsd() {
    local d
    d="$(unit_dir gpsd nobody)"
    launch gpsd $(drop nobody) /usr/sbin/gpsd -N -n -S 18947 -F "$d/gpsd.sock"
}

# MIT Kerberos KDC, UDP only, with a throwaway realm made on first start (kdb5_util takes about a second).
start_krb5kdc() {
    local d
    d="$(unit_dir krb5kdc)"
    cat >"$d/krb5.conf" <<EOF
[libdefaults]
    default_realm = AMAP.TEST
[realms]
    AMAP.TEST = {
        kdc = 127.0.0.1:18088
    }
EOF
    cat >"$d/kdc.conf" <<EOF
[kdcdefaults]
    kdc_listen = 127.0.0.1:18088
    kdc_tcp_listen = ""
[realms]
    AMAP.TEST = {
        database_name = $d/principal
        key_stash_file = $d/stash
        acl_file = $d/kadm5.acl
    }
EOF
    : >"$d/kadm5.acl"
    if [ ! -s "$d/principal" ]; then
        KRB5_CONFIG="$d/krb5.conf" KRB5_KDC_PROFILE="$d/kdc.conf" \
            kdb5_util -r AMAP.TEST create -s -P "amap-test-$RANDOM$RANDOM" >>"$LOGS/krb5kdc.log" 2>&1 || return 1
    fi
    launch krb5kdc env KRB5_CONFIG="$d/krb5.conf" KRB5_KDC_PROFILE="$d/kdc.conf" /usr/sbin/krb5kdc -n -r AMAP.TEST
}

# atftpd in the foreground, serving an empty directory. (tftpd-hpa resolves its -a address with AI_ADDRCONFIG,
# which finds no IPv4 in a network namespace that has only a loopback, and exits.) Like every TFTP server it
# answers from a new port (RFC 1350's transfer identifier), not from 18069.
start_tftpd() {
    local d
    d="$(unit_dir tftpd)"
    mkdir -p "$d/root"
    launch tftpd /usr/sbin/atftpd --daemon --no-fork --port 18069 --bind-address 127.0.0.1 --user nobody \
        --group nogroup --logfile - "$d/root"
}

# chrony as an NTP server on a test port. It cannot be installed beside systemd-timesyncd (both are a
# 'time-daemon'), so scripts/install-test-deps.sh unpacks it (scripts/daemon-unpack-packages.txt). -x: it never
# touches the system clock; 'local stratum 10' makes it answer as a synchronised server.
start_chronyd() {
    local binary=/opt/swift-amap-daemons/chrony/usr/sbin/chronyd d
    [ -x "$binary" ] || binary=/usr/sbin/chronyd
    d="$(unit_dir chronyd)"
    cat >"$d/chrony.conf" <<EOF
port 18123
bindaddress 127.0.0.1
allow 127.0.0.1
cmdport 0
local stratum 10
pidfile $d/chronyd.pid
EOF
    launch chronyd "$binary" -x -d -u nobody -f "$d/chrony.conf"
}

# ---- Issue 14, part 2: more real daemons (each on its own 1876x/1877x port; signatures held out where the
# built-in line was written from the specification before the daemon was captured).

# ProFTPD conflicts with vsftpd (both Provide ftp-server): unpacked, not installed (daemon-unpack-packages.txt).
start_proftpd() {
    local binary=/opt/swift-amap-daemons/proftpd-core/usr/sbin/proftpd d
    [ -x "$binary" ] || binary=/usr/sbin/proftpd
    d="$(unit_dir proftpd)"
    mkdir -p "$d/ftproot"
    cat >"$d/proftpd.conf" <<EOF
ServerType standalone
ServerName "swift-amap test"
DefaultServer on
Port 18761
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
User nobody
Group nogroup
PidFile $d/proftpd.pid
ScoreboardFile $d/proftpd.scoreboard
DelayTable none
WtmpLog off
UseReverseDNS off
RequireValidShell off
PassivePorts 18920 18929
EOF
    launch proftpd "$binary" -n -q -c "$d/proftpd.conf"
}

# PgBouncer, a PostgreSQL connection pooler (the PostgreSQL wire protocol from another implementation).
start_pgbouncer() {
    local d
    d="$(unit_dir pgbouncer nobody)"
    printf '"amap" ""\n' >"$d/users.txt"
    cat >"$d/pgbouncer.ini" <<EOF
[databases]
pool = host=127.0.0.1 port=18432 dbname=pool
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 18762
unix_socket_dir =
auth_type = trust
auth_file = $d/users.txt
EOF
    launch pgbouncer $(drop nobody) /usr/sbin/pgbouncer "$d/pgbouncer.ini"
}

# Dante SOCKS server; it relays only to loopback.
start_dante() {
    local d
    d="$(unit_dir dante)"
    cat >"$d/danted.conf" <<EOF
logoutput: stderr
internal: 127.0.0.1 port = 18763
external: 127.0.0.1
socksmethod: none
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 127.0.0.0/8 }
socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 }
EOF
    launch dante /usr/sbin/danted -f "$d/danted.conf" -p "$d/danted.pid"
}

start_tarantool() {
    local d
    d="$(unit_dir tarantool tarantool)"
    printf "box.cfg{listen = '127.0.0.1:18764', work_dir = '%s', log_level = 2}\n" "$d" >"$d/init.lua"
    launch tarantool $(drop tarantool) /usr/bin/tarantool "$d/init.lua"
}

start_influxdb() {
    local d
    d="$(unit_dir influxdb influxdb)"
    cat >"$d/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:18779"
[meta]
  dir = "$d/meta"
[data]
  dir = "$d/data"
  wal-dir = "$d/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:18765"
  log-enabled = false
EOF
    launch influxdb $(drop influxdb) /usr/bin/influxd -config "$d/influxdb.conf"
}

# Tor with the network disabled (no SOCKS listener then): its control port, cookie authentication required.
start_tor() {
    local d
    d="$(unit_dir tor debian-tor)"
    mkdir -p "$d/data"
    chown debian-tor: "$d/data"
    chmod 700 "$d/data"
    cat >"$d/torrc" <<EOF
DataDirectory $d/data
SocksPort 0
ControlPort 127.0.0.1:18767
CookieAuthentication 1
DisableNetwork 1
Log warn stderr
EOF
    launch tor $(drop debian-tor) /usr/bin/tor -f "$d/torrc" --defaults-torrc /dev/null
}

# HAProxy in front of a backend with no server: every request gets its own 503 page.
start_haproxy() {
    local d
    d="$(unit_dir haproxy)"
    cat >"$d/haproxy.cfg" <<EOF
global
    maxconn 256
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend amap
    bind 127.0.0.1:18768
    default_backend nowhere
backend nowhere
EOF
    launch haproxy /usr/sbin/haproxy -W -db -f "$d/haproxy.cfg"
}

start_caddy() {
    local d
    d="$(unit_dir caddy nobody)"
    printf '{\n\tadmin off\n\tauto_https off\n}\n:18769 {\n\tbind 127.0.0.1\n\trespond "swift-amap caddy"\n}\n' \
        >"$d/Caddyfile"
    launch caddy env HOME="$d" XDG_DATA_HOME="$d" XDG_CONFIG_HOME="$d" $(drop nobody) /usr/bin/caddy run \
        --config "$d/Caddyfile" --adapter caddyfile
}

start_h2o() {
    local d
    d="$(unit_dir h2o nobody)"
    mkdir -p "$d/html"
    echo 'swift-amap h2o' >"$d/html/index.html"
    cat >"$d/h2o.conf" <<EOF
listen:
  host: 127.0.0.1
  port: 18770
hosts:
  default:
    paths:
      /:
        file.dir: $d/html
EOF
    launch h2o $(drop nobody) /usr/bin/h2o -c "$d/h2o.conf"
}

# Icecast, the streaming media server.
start_icecast() {
    local d
    d="$(unit_dir icecast icecast2)"
    mkdir -p "$d/log"
    chown icecast2: "$d/log"
    cat >"$d/icecast.xml" <<EOF
<icecast>
  <location>loopback</location><admin>amap@localhost</admin><hostname>localhost</hostname>
  <limits><clients>100</clients><sources>2</sources></limits>
  <authentication><source-password>amap-source</source-password><admin-user>admin</admin-user>
    <admin-password>amap-admin</admin-password></authentication>
  <listen-socket><port>18771</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <paths><basedir>/usr/share/icecast2</basedir><logdir>$d/log</logdir><webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><accesslog>-</accesslog><errorlog>-</errorlog><loglevel>1</loglevel></logging>
  <security><chroot>0</chroot></security>
</icecast>
EOF
    launch icecast $(drop icecast2) /usr/bin/icecast2 -c "$d/icecast.xml"
}

# CUPS (IPP over HTTP), no printers, no local socket.
start_cups() {
    local d
    d="$(unit_dir cups)"
    mkdir -p "$d/cache" "$d/state" "$d/spool" "$d/tmp" "$d/log"
    chown root:lp "$d/cache" "$d/state" "$d/spool" "$d/tmp"
    chmod 775 "$d/cache" "$d/state" "$d/spool" "$d/tmp"
    cat >"$d/cupsd.conf" <<EOF
Listen 127.0.0.1:18772
Browsing No
LogLevel warn
<Location />
  Order allow,deny
  Allow all
</Location>
EOF
    cat >"$d/cups-files.conf" <<EOF
ServerRoot $d
CacheDir $d/cache
StateDir $d/state
RequestRoot $d/spool
TempDir $d/tmp
AccessLog stderr
ErrorLog stderr
PageLog stderr
User lp
Group lp
EOF
    launch cups /usr/sbin/cupsd -f -c "$d/cupsd.conf" -s "$d/cups-files.conf"
}

# Samba's smbd (SMB2/3; NetBIOS off), every state directory under the unit's own.
start_samba() {
    local d
    d="$(unit_dir samba)"
    mkdir -p "$d/private" "$d/lock" "$d/state" "$d/cache" "$d/ncalrpc" "$d/winbindd" "$d/share"
    cat >"$d/smb.conf" <<EOF
[global]
  server role = standalone server
  smb ports = 18773
  interfaces = 127.0.0.1
  bind interfaces only = yes
  disable netbios = yes
  private dir = $d/private
  lock directory = $d/lock
  state directory = $d/state
  cache directory = $d/cache
  pid directory = $d
  ncalrpc dir = $d/ncalrpc
  winbindd socket directory = $d/winbindd
  log file = $d/log.%m
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  map to guest = bad user
[share]
  path = $d/share
  read only = yes
  guest ok = yes
EOF
    launch samba /usr/sbin/smbd --foreground --no-process-group --configfile="$d/smb.conf"
}

# Network Block Device server exporting a small read-only image. nbd-server either serves one client and exits (-d)
# or daemonizes: it daemonizes here, and its own pid file (the leader of its new session) is recorded as the unit's.
start_nbd() {
    local d pid
    d="$(unit_dir nbd nobody)"
    [ -s "$d/disk.img" ] || truncate -s 1M "$d/disk.img"
    chown nobody: "$d/disk.img"
    cat >"$d/nbd.conf" <<EOF
[generic]
    port = 18774
    listenaddr = 127.0.0.1
[amap]
    exportname = $d/disk.img
    readonly = true
EOF
    rm -f "$d/nbd.pid"
    as nobody /usr/bin/nbd-server -C "$d/nbd.conf" -p "$d/nbd.pid" >>"$LOGS/nbd.log" 2>&1 </dev/null
    for _ in $(seq 50); do [ -s "$d/nbd.pid" ] && break; sleep 0.1; done
    read -r pid <"$d/nbd.pid"
    echo "$pid $(start_time "$pid")" >"$PIDS/nbd.pid"
}

# Munin node (Debian's default plugin set; a scan only reads its greeting).
start_munin() {
    local d
    d="$(unit_dir munin)"
    cat >"$d/munin-node.conf" <<EOF
log_level 2
log_file $d/munin-node.log
pid_file $d/munin-node.pid
background 0
setsid 0
user root
group root
host_name amap-test
allow ^127\.0\.0\.1\$
host 127.0.0.1
port 18775
EOF
    launch munin /usr/sbin/munin-node --config "$d/munin-node.conf"
}

# Kamailio SIP server over TCP and UDP, answering every request with 404.
start_kamailio() {
    local d
    d="$(unit_dir kamailio kamailio)"
    cat >"$d/kamailio.cfg" <<'EOF'
#!KAMAILIO
listen=udp:127.0.0.1:18777
listen=tcp:127.0.0.1:18777
children=2
tcp_children=4
loadmodule "sl.so"
request_route {
    sl_send_reply("404", "Not here");
}
EOF
    launch kamailio $(drop kamailio) /usr/sbin/kamailio -DD -E -f "$d/kamailio.cfg" -P "$d/kamailio.pid" -Y "$d" \
        -m 16 -M 4
}
# ClamAV's clamd with a one-line signature database of its own (clamd refuses to start without one, and the
# distributed databases need a download).
start_clamd() {
    local d
    d="$(unit_dir clamd clamav)"
    mkdir -p "$d/db"
    printf '44d88612fea8a8f36de82e1278abb02f:68:Amap.Test.EICAR\n' >"$d/db/amap.hdb"
    chown -R clamav: "$d/db"
    cat >"$d/clamd.conf" <<EOF
Foreground yes
DatabaseDirectory $d/db
TCPSocket 18778
TCPAddr 127.0.0.1
TemporaryDirectory $d
EOF
    launch clamd $(drop clamav) /usr/sbin/clamd -c "$d/clamd.conf"
}
# The Node.js inspector (node --inspect) of an idle script.
start_node-inspector() {
    unit_dir node-inspector >/dev/null
    launch node-inspector $(drop nobody) /usr/bin/node --inspect=127.0.0.1:18781 -e 'setInterval(() => {}, 1 << 30)'
}
# Network UPS Tools: upsd serving one simulated UPS (the dummy-ups driver reading a state file), both in one group.
start_nut() {
    local d
    d="$(unit_dir nut nut)"
    chmod 750 "$d"
    printf '[dummy]\n  driver = dummy-ups\n  port = dummy.dev\n  desc = "amap"\n' >"$d/ups.conf"
    printf 'LISTEN 127.0.0.1 18783\n' >"$d/upsd.conf"
    printf 'MODE=standalone\n' >"$d/nut.conf"
    : >"$d/upsd.users"
    printf 'ups.status: OL\nbattery.charge: 100\n' >"$d/dummy.dev"
    chown nut: "$d"/*
    chmod 640 "$d/upsd.users"
    # shellcheck disable=SC2016 # expanded by the inner shell
    launch nut env NUT_CONFPATH="$d" NUT_STATEPATH="$d" NUT_ALTPIDPATH="$d" $(drop nut) /bin/sh -c \
        '/lib/nut/dummy-ups -a dummy -F & for _ in 1 2 3 4 5 6 7 8 9 10; do
             [ -S "$NUT_STATEPATH/dummy-ups-dummy" ] && break; sleep 0.2; done; exec /lib/nut/upsd -F'
}
# BitlBee, an IRC server gatewaying to other chat networks (another IRC implementation than ngIRCd).
start_bitlbee() {
    local d
    d="$(unit_dir bitlbee nobody)"
    mkdir -p "$d/data"
    chown nobody: "$d/data"
    printf '[settings]\nRunMode = Daemon\n' >"$d/bitlbee.conf"
    launch bitlbee $(drop nobody) /usr/sbin/bitlbee -D -n -i 127.0.0.1 -p 18782 -c "$d/bitlbee.conf" -d "$d/data" \
        -P "$d/bitlbee.pid"
}
# c-icap, an ICAP server (content adaptation for proxies), with its echo service.
start_c-icap() {
    local d
    d="$(unit_dir c-icap nobody)"
    cat >"$d/c-icap.conf" <<EOF
PidFile $d/c-icap.pid
CommandsSocket $d/c-icap.ctl
Port 127.0.0.1:18785
StartServers 1
MaxServers 2
ThreadsPerChild 8
ServerLog $d/server.log
AccessLog $d/access.log
TmpDir $d
ModulesDir /usr/lib/x86_64-linux-gnu/c_icap
ServicesDir /usr/lib/x86_64-linux-gnu/c_icap
Service echo srv_echo.so
EOF
    launch c-icap $(drop nobody) /usr/bin/c-icap -N -f "$d/c-icap.conf"
}
# ---- end of issue 14 part 2 block

# ---- issue 14 part 3 (db3): six more real daemons, each named by a new line of the built-in database
# Nagios NSCA: sends its 132-byte initialization packet on connect (the nsca line of 58-greetings-part3.probes).
start_nsca() {
    local d
    d="$(unit_dir nsca nobody)"
    cat >"$d/nsca.cfg" <<EOF
pid_file=$d/nsca.pid
server_address=127.0.0.1
server_port=18786
command_file=$d/nsca.cmd
alternate_dump_file=$d/nsca.dump
debug=0
aggregate_writes=0
append_to_file=0
max_packet_age=30
decryption_method=1
password=amap-test
EOF
    launch nsca $(drop nobody) /usr/sbin/nsca -c "$d/nsca.cfg" -f
}
# Open vSwitch's test OpenFlow controller, passive on a loopback port: it greets every switch with OFPT_HELLO.
start_openflow() {
    local d
    d="$(unit_dir openflow nobody)"
    launch openflow $(drop nobody) /usr/bin/ovs-testcontroller --unixctl="$d/ctl" ptcp:18787:127.0.0.1
}
# Transmission's daemon with only its RPC/web port on loopback: DHT, local peer discovery, PEX, uTP, port mapping and
# the block list are off, no torrent is added, so it contacts nobody.
start_transmission() {
    local d
    d="$(unit_dir transmission debian-transmission)"
    cat >"$d/settings.json" <<EOF
{"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
 "port-forwarding-enabled": false, "blocklist-enabled": false, "rpc-bind-address": "127.0.0.1", "rpc-port": 18789,
 "rpc-authentication-required": false, "rpc-whitelist-enabled": false, "peer-port": 18780,
 "bind-address-ipv4": "127.0.0.1", "bind-address-ipv6": "::1", "download-dir": "$d/downloads",
 "incomplete-dir-enabled": false, "watch-dir-enabled": false}
EOF
    chown debian-transmission: "$d/settings.json"
    launch transmission $(drop debian-transmission) /usr/bin/transmission-daemon -f -g "$d"
}
# QEMU with no machine (-M none): only its QMP and human monitors, each a TCP chardev on loopback.
start_qemu() {
    unit_dir qemu >/dev/null
    launch qemu $(drop nobody) /usr/bin/qemu-system-x86_64 -M none -display none -nodefaults \
        -qmp tcp:127.0.0.1:18791,server=on,wait=off -monitor tcp:127.0.0.1:18792,server=on,wait=off
}
# Snapcast's server with a named-pipe source: its HTTP control port (default page) on loopback; the TCP control and
# stream ports on loopback too (not in the table).
start_snapserver() {
    local d
    d="$(unit_dir snapserver nobody)"
    cat >"$d/snapserver.conf" <<EOF
[server]
datadir = $d
[http]
enabled = true
bind_to_address = 127.0.0.1
port = 18795
doc_root =
[tcp]
enabled = true
bind_to_address = 127.0.0.1
port = 18796
[stream]
bind_to_address = 127.0.0.1
port = 18797
source = pipe://$d/fifo?name=default
EOF
    launch snapserver $(drop nobody) /usr/bin/snapserver -c "$d/snapserver.conf"
}
# coturn: a STUN/TURN server on TCP and UDP 18788 (no TLS, no CLI, its user database in the unit directory); the
# TCP row is named through the STUN-over-TCP probe.
start_coturn() {
    local d
    d="$(unit_dir coturn turnserver)"
    launch coturn $(drop turnserver) /usr/bin/turnserver -n --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 \
        --listening-port=18788 --min-port=18850 --max-port=18859 --no-tls --no-dtls --no-cli \
        --db="$d/turndb" --pidfile="$d/turnserver.pid" --log-file=stdout --simple-log
}

# Debian's rpcbind has no port option: it binds port 111 on every address, and keeps its lock and socket in /run.
# So it runs in a network and mount namespace of its own (its own loopback and a private /run), and socat carries
# 127.0.0.1:18111 (TCP and UDP) to it over two Unix sockets in its unit directory.
start_rpcbind() {
    local d
    d="$(unit_dir rpcbind)"
    rm -f "$d/tcp.sock" "$d/udp.sock"
    launch rpcbind unshare --net --mount --propagation private sh -c '
        ip link set lo up && mount -t tmpfs rpcbind-run /run && mkdir -p /run/rpcbind && chown _rpc: /run/rpcbind
        /usr/sbin/rpcbind -f &
        socat UNIX-LISTEN:"$1/tcp.sock",fork TCP4:127.0.0.1:111 &
        socat -T 3 UNIX-LISTEN:"$1/udp.sock",fork UDP4:127.0.0.1:111 &
        wait' rpcbind "$d"
    local i
    for ((i = 0; i < 50; i++)); do
        [ -S "$d/tcp.sock" ] && [ -S "$d/udp.sock" ] && break
        sleep 0.1
    done
    setsid socat TCP4-LISTEN:18111,bind=127.0.0.1,reuseaddr,fork UNIX-CONNECT:"$d/tcp.sock" \
        </dev/null >>"$LOGS/rpcbind-tcp.log" 2>&1 &
    echo "$! $(start_time "$!")" >"$PIDS/rpcbind.tcp.pid"
    setsid socat -T 3 UDP4-RECVFROM:18111,bind=127.0.0.1,reuseaddr,fork UNIX-CONNECT:"$d/udp.sock" \
        </dev/null >>"$LOGS/rpcbind-udp.log" 2>&1 &
    echo "$! $(start_time "$!")" >"$PIDS/rpcbind.udp.pid"
}

# proxy_account: the system user dante-auth checks, with its known password (made once, reset every start).
proxy_account() {
    if ! id "$PROXY_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PROXY_USER"
    fi
    echo "$PROXY_USER:$PROXY_PASSWORD" | chpasswd
}

# dante_conf DIR PORT METHOD: a SOCKS5 server on 127.0.0.1:PORT that connects only to loopback addresses (names the
# client sends are resolved by dante, then held to the same rule).
dante_conf() {
    cat >"$1/danted.conf" <<EOF
logoutput: $1/danted.log
internal: 127.0.0.1 port = $2
external: 127.0.0.1
clientmethod: none
socksmethod: $3
user.privileged: root
user.unprivileged: nobody
timeout.negotiate: 10
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect }
socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 }
EOF
}

# SOCKS5 with username/password (RFC 1929), checked against the test account.
start_dante-auth() {
    local d
    d="$(unit_dir dante-auth)"
    proxy_account
    dante_conf "$d" 18181 username
    launch dante-auth /usr/sbin/danted -f "$d/danted.conf" -p "$d/danted.pid" -N 1
}

# squid allowing CONNECT to loopback ports: 18138 without authentication, 18139 with Basic (the test account, from
# an htpasswd file squid's basic_ncsa_auth reads).
start_squid-connect() {
    local d
    d="$(unit_dir squid-connect proxy)"
    printf '%s:%s\n' "$PROXY_USER" "$(openssl passwd -apr1 "$PROXY_PASSWORD")" >"$d/passwd"
    chown proxy: "$d/passwd"
    chmod 600 "$d/passwd"
    {
        printf 'http_port 127.0.0.1:18138\nhttp_port 127.0.0.1:18139\nvisible_hostname connect.amap.test\n'
        squid_base "$d"
    } >"$d/squid.conf"
    cat >>"$d/squid.conf" <<EOF
connect_timeout 5 seconds
auth_param basic program /usr/lib/squid/basic_ncsa_auth $d/passwd
auth_param basic children 2 startup=1
auth_param basic realm amap-test
acl open_port localport 18138
acl auth_port localport 18139
acl loopback_dst dst 127.0.0.0/8
acl authenticated proxy_auth REQUIRED
acl CONNECT method CONNECT
http_access deny !CONNECT
http_access deny !loopback_dst
http_access allow open_port
http_access allow auth_port authenticated
http_access deny all
EOF
    launch squid-connect /usr/sbin/squid -N -f "$d/squid.conf"
}

start_silent() {
    unit_dir silent >/dev/null
    launch silent $(drop nobody) /usr/bin/python3 "$SCRIPTS/silent-server.py" 127.0.0.1 18999
}

# select_units [UNIT...]: sets SELECTED to the named units (each checked against UNITS), or to all of them.
select_units() {
    SELECTED=("$@")
    [ "$#" -eq 0 ] && SELECTED=("${UNITS[@]}")
    local u k known
    for u in "${SELECTED[@]}"; do
        known=no
        for k in "${UNITS[@]}"; do [ "$k" = "$u" ] && known=yes; done
        if [ "$known" = no ]; then
            log "unknown unit '$u' (known: ${UNITS[*]})"
            exit 2
        fi
    done
}

do_start() {
    if [ "$(id -u)" != 0 ]; then
        log "daemons.sh start: run as root (it starts each daemon as its own Debian user)"
        exit 1
    fi
    mkdir -p "$RUN" "$PIDS" "$LOGS"
    chmod 755 "$RUN"
    make_tls
    local unit started=0
    select_units "$@"
    for unit in "${SELECTED[@]}"; do
        if unit_pid "$unit" >/dev/null; then
            continue
        fi
        log "starting $unit"
        if ! "start_$unit"; then
            log "  $unit: start command failed (see $LOGS/$unit.log)"
        fi
        started=$((started + 1))
    done
    [ "$started" -eq 0 ] && log "all daemons already running"
    if python3 "$SCRIPTS/daemon_probes.py" check --wait "$WAIT_SECONDS" "$TABLE" "$PROXY_TABLE" \
        >"$RUN/start-check.txt"; then
        log "all ports answer as expected (run dir $RUN)"
        return 0
    fi
    cat "$RUN/start-check.txt" >&2
    for unit in "${UNITS[@]}"; do
        unit_pid "$unit" >/dev/null || log "  $unit is not running; last log lines:" \
            "$(tail -n 5 "$LOGS/$unit.log" 2>/dev/null)"
    done
    log "daemons.sh start: some ports do not answer as expected (logs in $LOGS)"
    return 1
}

do_stop() {
    [ -d "$PIDS" ] || { log "nothing to stop"; return 0; }
    local f unit pid pids=()
    select_units "$@"
    local parts=()
    # A unit's helper processes (rpcbind's forwarders) record their pids as UNIT.PART.pid.
    for unit in "${SELECTED[@]}"; do
        parts+=("$unit")
        for f in "$PIDS/$unit".*.pid; do
            [ -e "$f" ] && parts+=("$(basename "$f" .pid)")
        done
    done
    for unit in "${parts[@]}"; do
        f="$PIDS/$unit.pid"
        [ -e "$f" ] || continue
        if pid="$(unit_pid "$unit")"; then
            # The unit was launched with setsid, so its process group id is its pid: signal the whole group.
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
            log "stopping $unit (pid $pid)"
        fi
        rm -f "$f"
    done
    local deadline=$((SECONDS + 20)) alive
    while :; do
        alive=()
        for pid in "${pids[@]}"; do
            if kill -0 -- "-$pid" 2>/dev/null; then alive+=("$pid"); fi
        done
        [ "${#alive[@]}" -eq 0 ] && break
        if [ "$SECONDS" -ge "$deadline" ]; then
            for pid in "${alive[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
            sleep 0.5
            break
        fi
        sleep 0.2
    done
    log "stopped"
}

do_status() {
    local unit pid
    for unit in "${UNITS[@]}"; do
        if pid="$(unit_pid "$unit")"; then
            printf '%-11s running (pid %s)\n' "$unit" "$pid"
        else
            printf '%-11s not running\n' "$unit"
        fi
    done
    echo
    python3 "$SCRIPTS/daemon_probes.py" check "$TABLE" "$PROXY_TABLE"
}

case "${1:-}" in
    start) shift; do_start "$@" ;;
    stop) shift; do_stop "$@" ;;
    status) do_status ;;
    restart) shift; do_stop "$@"; do_start "$@" ;;
    *)
        echo "usage: $0 start|stop|restart [UNIT...] | status   (run dir: $RUN)" >&2
        exit 2
        ;;
esac
