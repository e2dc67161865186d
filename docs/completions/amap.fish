function __amap_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __amap_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __amap_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __amap_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __amap_parse_tokens -S
    set -l unparsed_tokens (__amap_tokens -pc)
    switch $unparsed_tokens[1]
    case 'amap'
        if contains -- "$unparsed_tokens[2]" db learn help
            __amap_parse_subcommand 0
        else
                __amap_parse_subcommand -r 1 'A' 'B' 'P' '1' '4' '6' 'b' 'i=' 'u' 'R' 'S' 'H' 'U' 'd' 'v' 'q' 'o=' 'm' 'D=' 'p=' 'c=' 'C=' 'T=' 't=' 'nmap-db=+' 'nmap' 'builtin' 'version-intensity=' 'names=' 'json' 'output-json=' 'output-xml=' 'output-grepable=' 'output-all=' 'metadata-file=' 'shard=' 'seed=' 'stats-every=' 'starttls' 'timing=' 'rate=' 'max-per-host=' 'host-timeout=' 'parallel-probes=' 'proxy=' 'allow-huge-scan' 'journal=' 'resume=' 'version' 'h/help'
        end
        switch $unparsed_tokens[1]
        case 'db'
            __amap_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'check'
                __amap_parse_subcommand 0 'nmap-db=+' 'D=+' 'no-builtin' 'version' 'h/help'
            end
        case 'learn'
            __amap_parse_subcommand 2 'u' 'n=' 'N=' 'w=' 'M=' 'm=' 'seed=' 'max-time=' 'service=' 'o=' 'v' 'version' 'h/help'
        case 'help'
            __amap_parse_subcommand -r 1 'version'
        end
    end
end

function __amap_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __amap_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __amap_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __amap_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__amap_tokens -p)
    if test -z "$(__amap_tokens -t)"
        set -l index (count (__amap_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'amap' -f
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" A' -s 'A' -d 'Map applications (the default mode).'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" B' -s 'B' -d 'Just grab banners: connect, send nothing, print what arrives.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" P' -s 'P' -d 'Port-scan only: report ports that accept a connection.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" 1' -s '1' -d 'Stop probing a port at its first identification.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" 4' -s '4' -d 'Use IPv4 (default unless a target is IPv6).'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" 6' -s '6' -d 'Resolve host names to IPv6 addresses only (a name without one is an error).'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" b' -s 'b' -d 'Print the ASCII banner with each identification.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" i' -s 'i' -d 'Read targets from FILE (nmap, masscan, zmap or amap output, host:port lines; - for stdin).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" u' -s 'u' -d 'Ports given on the command line are UDP.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" R' -s 'R' -d 'Skip the RPC pass.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" S' -s 'S' -d 'Skip the SSL pass (no identification inside TLS).'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" H' -s 'H' -d 'Do not send triggers marked harmful.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" U' -s 'U' -d 'Do not dump unrecognised responses.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" d' -s 'd' -d 'Hex-dump every response, identified ones too.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap"' -s 'v' -d 'Verbose (repeat for more).'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" q' -s 'q' -d 'Do not report unidentified ports.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" o' -s 'o' -d 'Also write the report to FILE (an existing FILE becomes FILE.old; - for standard output).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" m' -s 'm' -d 'Make the -o FILE log machine-readable (colon-separated).'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" D' -s 'D' -d 'Read amap signatures from PREFIX.trig, PREFIX.resp, PREFIX.rpc.' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" p' -s 'p' -d 'Send only triggers of this name.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" c' -s 'c' -d 'At most N connections open at once, parallel probes of a port included (without -c: a window sized from the open-file limit).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" C' -s 'C' -d 'Connect attempts in total on timeout (default 3).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" T' -s 'T' -d 'Connect timeout in seconds (default 5).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" t' -s 't' -d 'Response timeout in seconds (default 5): an answer within it is seen.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap"' -l 'nmap-db' -d 'Use this nmap-service-probes file (repeatable).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" nmap' -l 'nmap' -d 'Use nmap\'s installed nmap-service-probes.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" builtin' -l 'builtin' -d 'Keep the built-in database when --nmap, --nmap-db or -D is given.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" version-intensity' -l 'version-intensity' -d 'nmap version intensity 0-9 (default 7).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" names' -l 'names' -d 'Service names in amap\'s human and -m lines: nmap\'s (domain, postgresql) or amap 5.4\'s IDs (dns, postgres). JSON, XML and grepable output always use nmap\'s.' -rfka 'nmap amap'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" json' -l 'json' -d 'Write JSON Lines on stdout instead of amap\'s lines.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" oJ output-json' -o 'oJ' -l 'output-json' -d 'Write JSON Lines to FILE (- for standard output).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" oX output-xml' -o 'oX' -l 'output-xml' -d 'Write nmap-style XML to FILE (- for standard output).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" oG output-grepable' -o 'oG' -l 'output-grepable' -d 'Write nmap-style grepable lines to FILE (- for standard output).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" oA output-all' -o 'oA' -l 'output-all' -d 'Write BASE.xml, BASE.gnmap, BASE.jsonl and the human log BASE.amap (as nmap\'s -oA).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" metadata-file' -l 'metadata-file' -d 'Write the run record (version, signature files with SHA-256, arguments, times, counts) as JSON to FILE.' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" shard' -l 'shard' -d 'Scan only shard i of N (1-based) of the targets × ports, in a seeded order; run i=1..N on N machines.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" seed' -l 'seed' -d 'Seed of the shuffled order (default with --shard: a fixed constant, the same on every machine).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" stats-every' -l 'stats-every' -d 'Print a progress line (done/total, rate, ETA) on stderr every SEC seconds, also when not a terminal.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" starttls' -l 'starttls' -d 'Upgrade SMTP, IMAP, POP3, FTP, LDAP, XMPP, NNTP, PostgreSQL and MySQL ports to TLS in-band and report the certificate (one more connection per such port).'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" timing' -l 'timing' -d 'Probe waits: auto (lan for loopback/private addresses, else internet), lan, internet, or fixed (-t as is) (default: auto).' -rfka 'auto lan internet fixed'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" rate' -l 'rate' -d 'At most N new connections per second.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" max-per-host' -l 'max-per-host' -d 'At most N ports of one host probed at once.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" host-timeout' -l 'host-timeout' -d 'Start no new probe on a host SEC seconds after its first port began.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" parallel-probes' -l 'parallel-probes' -d 'Probes in flight per port, each on its own connection (default 5 with adaptive timing, 1 with fixed).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" proxy' -l 'proxy' -d 'Make every TCP connection through this proxy: socks5://[USER:PASS@]HOST:PORT, socks5h://… (the proxy resolves names) or http://[USER:PASS@]HOST:PORT (CONNECT). TCP only.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" allow-huge-scan' -l 'allow-huge-scan' -d 'Confirm a target of more than 2^24 addresses (e.g. 0.0.0.0/0), or an -i file of more than 2^20 endpoints.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" journal' -l 'journal' -d 'Append each finished (target, port) to FILE as it finishes, for --resume.' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" resume' -l 'resume' -d 'Skip the (target, port) pairs FILE lists as finished, and keep appending to it.' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" version' -l 'version' -d 'Show the version.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amap' -n '__amap_should_offer_completions_for_positional "amap" -eq 1' -fa 'db' -d 'Inspect signature databases.'
complete -c 'amap' -n '__amap_should_offer_completions_for_positional "amap" -eq 1' -fa 'learn' -d 'Find an input a silent port answers and propose a signature for it.'
complete -c 'amap' -n '__amap_should_offer_completions_for_positional "amap" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap db" version' -l 'version' -d 'Show the version.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap db" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amap' -n '__amap_should_offer_completions_for_positional "amap db" -eq 1' -fa 'check' -d 'Load signature files; print their counts, every problem (file:line:column) and the load time.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap db check"' -l 'nmap-db' -d 'An nmap-service-probes file, e.g. /usr/share/nmap/nmap-service-probes (repeatable).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap db check"' -s 'D' -d 'amap 5.4 files PREFIX.trig, PREFIX.resp and PREFIX.rpc (repeatable).' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap db check" no-builtin' -l 'no-builtin' -d 'Do not check the built-in database.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap db check" version' -l 'version' -d 'Show the version.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap db check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" u' -s 'u' -d 'The port is UDP.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" n' -s 'n' -d 'Random inputs after the structured ones.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" N' -s 'N' -d 'Pause between inputs in milliseconds (default 1).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" w' -s 'w' -d 'Wait for a response in milliseconds (default 500).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" M' -s 'M' -d 'Random payload lengths MIN,MAX, 1 to 1024.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" m' -s 'm' -d 'Random payload kinds: 0 NUL bytes, a text lines, b binary.' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" seed' -l 'seed' -d 'Seed of the random inputs (fixed, so runs repeat).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" max-time' -l 'max-time' -d 'Give up after this many seconds (default 120).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" service' -l 'service' -d 'Service name of the proposed match line (default: the response\'s first word).' -rfka ''
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" o' -s 'o' -d 'Also write the proposal to FILE.' -rF
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" v' -s 'v' -d 'Print each input as it is sent.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" version' -l 'version' -d 'Show the version.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap learn" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'amap' -n '__amap_should_offer_completions_for_flags_or_options "amap help" version' -l 'version' -d 'Show the version.'