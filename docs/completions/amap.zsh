#compdef amap

__amap_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__amap_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __amap_complete "${completions[@]:0:-1}"
    fi
}

__amap_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_amap() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar ___names=('nmap' 'amap')
    local -ar ___timing=('auto' 'lan' 'internet' 'fixed')
    local -ar arg_specs=(
        '-A[Map applications (the default mode).]'
        '-B[Just grab banners\: connect, send nothing, print what arrives.]'
        '-P[Port-scan only\: report ports that accept a connection.]'
        '-1[Stop probing a port at its first identification.]'
        '-4[Use IPv4 (default unless a target is IPv6).]'
        '-6[Resolve host names to IPv6 addresses only (a name without one is an error).]'
        '-b[Print the ASCII banner with each identification.]'
        '-i[Read targets from FILE (nmap, masscan, zmap or amap output, host\:port lines; - for stdin).]:FILE:_files'
        '-u[Ports given on the command line are UDP.]'
        '-R[Skip the RPC pass.]'
        '-S[Skip the SSL pass (no identification inside TLS).]'
        '-H[Do not send triggers marked harmful.]'
        '-U[Do not dump unrecognised responses.]'
        '-d[Hex-dump every response, identified ones too.]'
        '*-v[Verbose (repeat for more).]'
        '-q[Do not report unidentified ports.]'
        '-o[Also write the report to FILE (an existing FILE becomes FILE.old; - for standard output).]:FILE:_files'
        '-m[Make the -o FILE log machine-readable (colon-separated).]'
        '-D[Read amap signatures from PREFIX.trig, PREFIX.resp, PREFIX.rpc.]:PREFIX:_files'
        '-p[Send only triggers of this name.]:NAME:'
        '-c[At most N connections open at once, parallel probes of a port included (without -c\: a window sized from the open-file limit).]:N:'
        '-C[Connect attempts in total on timeout (default 3).]:N:'
        '-T[Connect timeout in seconds (default 5).]:SEC:'
        '-t[Response timeout in seconds (default 5)\: an answer within it is seen.]:SEC:'
        '*--nmap-db[Use this nmap-service-probes file (repeatable).]:FILE:_files'
        '--nmap[Use nmap'\''s installed nmap-service-probes.]'
        '--builtin[Keep the built-in database when --nmap, --nmap-db or -D is given.]'
        '--version-intensity[nmap version intensity 0-9 (default 7).]:N:'
        '--names[Service names in amap'\''s human and -m lines\: nmap'\''s (domain, postgresql) or amap 5.4'\''s IDs (dns, postgres). JSON, XML and grepable output always use nmap'\''s.]:nmap|amap:{__amap_complete "${___names[@]}"}'
        '--json[Write JSON Lines on stdout instead of amap'\''s lines.]'
        '(-oJ --output-json)'{-oJ,--output-json}'[Write JSON Lines to FILE (- for standard output).]:FILE:_files'
        '(-oX --output-xml)'{-oX,--output-xml}'[Write nmap-style XML to FILE (- for standard output).]:FILE:_files'
        '(-oG --output-grepable)'{-oG,--output-grepable}'[Write nmap-style grepable lines to FILE (- for standard output).]:FILE:_files'
        '(-oA --output-all)'{-oA,--output-all}'[Write BASE.xml, BASE.gnmap, BASE.jsonl and the human log BASE.amap (as nmap'\''s -oA).]:BASE:_files'
        '--metadata-file[Write the run record (version, signature files with SHA-256, arguments, times, counts) as JSON to FILE.]:FILE:_files'
        '--shard[Scan only shard i of N (1-based) of the targets × ports, in a seeded order; run i=1..N on N machines.]:i/N:'
        '--seed[Seed of the shuffled order (default with --shard\: a fixed constant, the same on every machine).]:S:'
        '--stats-every[Print a progress line (done/total, rate, ETA) on stderr every SEC seconds, also when not a terminal.]:SEC:'
        '--starttls[Upgrade SMTP, IMAP, POP3, FTP, LDAP, XMPP, NNTP, PostgreSQL and MySQL ports to TLS in-band and report the certificate (one more connection per such port).]'
        '--timing[Probe waits\: auto (lan for loopback/private addresses, else internet), lan, internet, or fixed (-t as is) (default\: auto).]:PROFILE:{__amap_complete "${___timing[@]}"}'
        '--rate[At most N new connections per second.]:N:'
        '--max-per-host[At most N ports of one host probed at once.]:N:'
        '--host-timeout[Start no new probe on a host SEC seconds after its first port began.]:SEC:'
        '--parallel-probes[Probes in flight per port, each on its own connection (default 5 with adaptive timing, 1 with fixed).]:N:'
        '--proxy[Make every TCP connection through this proxy\: socks5\://\[USER\:PASS@\]HOST\:PORT, socks5h\://… (the proxy resolves names) or http\://\[USER\:PASS@\]HOST\:PORT (CONNECT). TCP only.]:URL:'
        '--allow-huge-scan[Confirm a target of more than 2^24 addresses (e.g. 0.0.0.0/0), or an -i file of more than 2^20 endpoints.]'
        '--journal[Append each finished (target, port) to FILE as it finishes, for --resume.]:FILE:_files'
        '--resume[Skip the (target, port) pairs FILE lists as finished, and keep appending to it.]:FILE:_files'
        '*:target-and-ports:->target'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    # A subcommand is one only in first position; then its own function completes the rest.
    if (( CURRENT > 2 )) && [[ "${words[2]}" == (db|learn|help) ]]; then
        shift words
        (( CURRENT-- ))
        "_amap_${words[1]}"
        return
    fi
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    target)
        _hosts && ret=0
        (( CURRENT == 2 )) || return "${ret}"
        local -ar subcommands=(
            'db:Inspect signature databases.'
            'learn:Find an input a silent port answers and propose a signature for it.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        db|learn|help)
            "_amap_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_amap_db() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'check:Load signature files; print their counts, every problem (file:line:column) and the load time.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        check)
            "_amap_db_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_amap_db_check() {
    local -i ret=1
    local -ar arg_specs=(
        '*--nmap-db[An nmap-service-probes file, e.g. /usr/share/nmap/nmap-service-probes (repeatable).]:FILE:_files'
        '*-D[amap 5.4 files PREFIX.trig, PREFIX.resp and PREFIX.rpc (repeatable).]:PREFIX:_files'
        '--no-builtin[Do not check the built-in database.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_amap_learn() {
    local -i ret=1
    local -ar arg_specs=(
        '-u[The port is UDP.]'
        '-n[Random inputs after the structured ones.]:N:'
        '-N[Pause between inputs in milliseconds (default 1).]:MS:'
        '-w[Wait for a response in milliseconds (default 500).]:MS:'
        '-M[Random payload lengths MIN,MAX, 1 to 1024.]:MIN,MAX:'
        '-m[Random payload kinds\: 0 NUL bytes, a text lines, b binary.]:KINDS:'
        '--seed[Seed of the random inputs (fixed, so runs repeat).]:S:'
        '--max-time[Give up after this many seconds (default 120).]:SEC:'
        '--service[Service name of the proposed match line (default\: the response'\''s first word).]:NAME:'
        '-o[Also write the proposal to FILE.]:FILE:_files'
        '-v[Print each input as it is sent.]'
        ':target:'
        ':port:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_amap_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _amap ]]; then
    _amap "${@}"
else
    compdef _amap amap
fi