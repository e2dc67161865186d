#!/usr/bin/env python3
"""Finishes the man page swift-argument-parser's generate-manual plugin writes (scripts/generate-docs.sh runs it).

The plugin knows the options but not amap's habits: its SYNOPSIS lists every option after a `subcommand` word,
its EXIT STATUS is the generic `.Ex -std`, and it has no EXAMPLES, FILES or SEE ALSO. This replaces the first two
with amap's SYNOPSIS and the real exit statuses (docs/exit-codes.md) and adds the other three before AUTHORS.
The option list itself (DESCRIPTION) is the plugin's, so it always matches --help
(Tests/AmapCommandTests/ManualPageTests.swift checks both).

    python3 scripts/man-sections.py docs/amap.1
"""
import re
import sys

SYNOPSIS = r""".Sh SYNOPSIS
.Nm
.Op Fl A | Fl B | Fl P
.Op Fl 146bdHqRSuUv
.Op Oo Fl m Oc Fl o Ar FILE
.Op Fl D Ar PREFIX
.Op Fl t Ar SEC
.Op Fl T Ar SEC
.Op Fl c Ar N
.Op Fl C Ar N
.Op Fl p Ar NAME
.Op Fl i Ar FILE
.Op Ar option ...
.Ar TARGET PORT Op Ar PORT ...
.Op Ar TARGET PORT ...
.Nm
.Cm db check
.Op Ar option ...
.Nm
.Cm learn
.Op Ar option ...
.Ar HOST PORT
.Nm
.Fl -version
"""

EXIT_STATUS = r""".Sh EXIT STATUS
.Bl -tag -width 4n
.It 0
The scan ran to its end, whatever it found (nothing found is still 0); also
.Fl -version
and
.Fl -help .
.It 1
.Nm
.Cm db check :
a signature file could not be read or a line has an error.
.It 64
Usage error, found while parsing the command line: an unknown option, a bad option value, no target,
conflicting modes, two reports to standard output.
.It 130
Interrupted by SIGINT: every result found so far is written, the reports are closed and the journal
lists every finished (target, port).
.It 143
Stopped by SIGTERM, with the same flushing.
.It 255
Fatal set-up error, found before any probe is sent and before any output file is created: an unreadable
signature or target file, a bad target or port, a host name that does not resolve, an unwritable output
path, an
.Fl i
input with nothing to scan.
.El
See
.Pa docs/exit-codes.md
for every case.
"""

EXTRA = r""".Sh FILES
.Bl -tag -width Ds
.It Pa $NMAPDIR/nmap-service-probes
Read by
.Fl -nmap
first, when
.Ev NMAPDIR
is set.
.It Pa /usr/share/nmap/nmap-service-probes
Then this,
.Pa /usr/local/share/nmap/nmap-service-probes ,
.Pa /opt/homebrew/share/nmap/nmap-service-probes
and
.Pa /opt/local/share/nmap/nmap-service-probes ,
the first that is readable.
.It Pa PREFIX.trig , PREFIX.resp , PREFIX.rpc
amap 5.4's appdefs files, read by
.Fl D Ar PREFIX
(the
.Pa .rpc
file may be missing).
.It Pa swift-amap_AmapSignatures.resources/Resources/signatures/*.probes
The built-in database, next to the executable, loaded in file-name order unless
.Fl -nmap ,
.Fl -nmap-db
or
.Fl D
replaces it
.Pf ( Fl -builtin
keeps it).
.El
.Sh EXAMPLES
Map the services on three ports with the built-in database:
.Dl amap 127.0.0.1 22 80 443
Banners too, no list of unidentified ports, nmap's database instead:
.Dl amap -bq --nmap 127.0.0.1 1-1024
Write every report nmap's tools read, and the run record:
.Dl amap -oA scan --metadata-file scan.run.json 127.0.0.1 1-65535
Feed nmap's or masscan's open ports in, XML out for ndiff:
.Dl nmap -oG open.gnmap 127.0.0.0/29 && amap -i open.gnmap -oX amap.xml
A list of bare addresses, with the ports on the command line:
.Dl amap -i hosts.txt 22,80,443
Check an edited signature file:
.Dl amap db check --nmap-db my.probes
.Sh SEE ALSO
.Xr nmap 1 ,
.Xr ndiff 1 ,
.Xr masscan 8 ,
.Xr zmap 1 ,
.Xr zgrab2 1
"""


def main(path):
    text = open(path, encoding="utf-8").read()
    text, count = re.subn(r"\.Sh SYNOPSIS\n.*?(?=\.Sh DESCRIPTION\n)", lambda _: SYNOPSIS, text, flags=re.S)
    if count != 1:
        sys.exit("man-sections: no SYNOPSIS before DESCRIPTION in " + path)
    text, count = re.subn(r'\.Sh "EXIT STATUS"\n\.Ex -std\n', lambda _: EXIT_STATUS + EXTRA, text)
    if count != 1:
        sys.exit("man-sections: no generic EXIT STATUS in " + path)
    open(path, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main(sys.argv[1])
