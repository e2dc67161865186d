import AmapTestSupport
import Foundation
import Testing

/// The completion scripts run in the real shells: bash through `complete -p` and the function it names, zsh through
/// `zpty` (a pseudo-terminal, keys typed, the line and the listing read back), fish through `complete -C`. Each test
/// skips with a message when its shell is missing (CI installs them: scripts/daemon-packages.txt).
///
/// What every shell must do: file names for the file options, the values of `--timing`, nmap's `-oJ`/`-oX`/`-oG`/`-oA`
/// among the options, subcommands only as the first word, and a subcommand's own completions after it.
@Suite("completions in bash, zsh and fish", .timeLimit(.minutes(2)))
struct CompletionShellTests {
    static let bash = ExternalTool.bash
    static let zsh = ExternalTool.zsh
    static let fish = ExternalTool.fish

    /// A folder with the generated script for `shell` (as `_amap` for zsh's `fpath`) and a work folder holding
    /// one file, `scanfile.xml`, for file completion.
    private struct Setup {
        let scratch: Scratch
        let script: URL
        var work: URL { scratch.file("work") }
        var binDirectory: String { AmapExecutable.url?.deletingLastPathComponent().path ?? "" }

        init(_ shell: String) async throws {
            scratch = try Scratch("completion-\(shell)")
            let run = try await AmapExecutable.run(["--generate-completion-script", shell])
            #expect(run.status == 0, "\(run)")
            let folder = scratch.file("functions")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: scratch.file("work"), withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: scratch.file("work/scanfile.xml").path, contents: Data())
            script = folder.appendingPathComponent(shell == "zsh" ? "_amap" : "amap.\(shell)")
            try Data(run.stdout.utf8).write(to: script)
            // The shipped script is this one: docs/completions is regenerated, never edited.
            let shipped = PackageRoot.url.appendingPathComponent("docs/completions/amap.\(shell)")
            #expect(try String(contentsOf: shipped, encoding: .utf8) == run.stdout,
                    "docs/completions/amap.\(shell) differs from --generate-completion-script \(shell)")
        }
    }

    /// The file options, each completed from `scanf` to `scanfile.xml`.
    static let fileOptions = ["-i", "-o", "-oJ", "-oX", "-oG", "--nmap-db", "--journal", "--resume", "--metadata-file"]

    // MARK: bash

    /// Sources the script, finds the function `complete -p amap` names and calls it as bash would for `line`.
    static let bashProbe = #"""
        source "$1"; shift
        spec=$(complete -p amap) || exit 3
        func=$(sed -n 's/.*-F \([^ ]*\).*/\1/p' <<<"$spec")
        for line in "$@"; do
            COMPREPLY=()
            COMP_LINE="$line"; COMP_POINT=${#COMP_LINE}
            read -ra COMP_WORDS <<<"$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            "$func" amap "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '=== %s\n' "$line"
            printf '%s\n' "${COMPREPLY[@]}"
        done
        """#

    @Test("bash", ExternalTool.needs(bash))
    func bashCompletes() async throws {
        try ExternalTool.require(Self.bash)
        let setup = try await Setup("bash")
        defer { setup.scratch.remove() }
        let lines = Self.fileOptions.map { "amap \($0) scanf" }
            + ["amap -", "amap --timing ", "amap ", "amap 127.0.0.1 d", "amap db ", "amap -oJ "]
        let run = try await Subprocess.run(
            URL(fileURLWithPath: Self.bash.path),
            arguments: ["--norc", "--noprofile", "-c", Self.bashProbe, "probe", setup.script.path] + lines,
            in: setup.work)
        #expect(run.status == 0, "\(run)")
        let offered = Self.sections(run.stdout)
        Self.expectCommonRules(offered, run: run)
    }

    // MARK: fish

    @Test("fish", ExternalTool.needs(fish))
    func fishCompletes() async throws {
        try ExternalTool.require(Self.fish)
        let setup = try await Setup("fish")
        defer { setup.scratch.remove() }
        let lines = Self.fileOptions.map { "amap \($0) scanf" }
            + ["amap -", "amap --timing ", "amap ", "amap 127.0.0.1 d", "amap db ", "amap -oJ "]
        let script = "source $argv[1]; for line in $argv[2..]; echo \"=== $line\"; "
            + "complete -C \"$line\" | string replace -r '\\t.*' ''; end; true"
        let run = try await Subprocess.run(
            URL(fileURLWithPath: Self.fish.path),
            arguments: ["--no-config", "-c", script, setup.script.path] + lines, in: setup.work)
        #expect(run.status == 0, "\(run)")
        Self.expectCommonRules(Self.sections(run.stdout), run: run)
    }

    // MARK: zsh

    /// Starts an interactive zsh on a pseudo-terminal with compinit and the script on `fpath`, types each line and
    /// TAB, then a key bound to a widget that prints the edited line (`BUFFER<…>END`) and clears it. Each read waits
    /// for its marker, so the result does not depend on timing.
    static let zshProbe = #"""
        zmodload zsh/zpty
        fndir=$1 workdir=$2 bindir=$3; shift 3
        zpty -b z 'env PS1="%% " TERM=dumb zsh -f -i'
        zpty -w z "unset zle_bracketed_paste; fpath=($fndir \$fpath); autoload -U compinit; compinit -u -D"
        zpty -w z "cd $workdir; PATH=$bindir:\$PATH; setopt nobeep; LISTMAX=1000"
        zpty -w z "stty rows 200 columns 200; zstyle ':completion:*' menu no"
        zpty -w z 'pb() { zle -I; print -r -- "BUFFER<$BUFFER>END"; BUFFER="" }; zle -N pb; bindkey "^T" pb'
        zpty -w z 'print READY$((40 + 2))'
        zpty -r z junk '*READY42*'
        for line in "$@"; do
            zpty -n -w z "$line"$'\t'
            zpty -n -w z $'\C-t'
            zpty -r z out '*>END*'
            print -r -- "=== $line"
            print -r -- "$out"
        done
        zpty -d z
        """#

    @Test("zsh", ExternalTool.needs(zsh))
    func zshCompletes() async throws {
        try ExternalTool.require(Self.zsh)
        let setup = try await Setup("zsh")
        defer { setup.scratch.remove() }
        let lines = Self.fileOptions.map { "amap \($0) scanf" }
            + ["amap -", "amap --timing ", "amap ", "amap 127.0.0.1 d", "amap db ", "amap -oJ scanf"]
        let run = try await Subprocess.run(
            URL(fileURLWithPath: Self.zsh.path),
            arguments: ["-f", "-c", Self.zshProbe, "probe", setup.script.deletingLastPathComponent().path,
                        setup.work.path, setup.binDirectory] + lines,
            timeout: .seconds(60))
        #expect(run.status == 0, "\(run)")
        #expect(!run.stdout.contains("doubled rest argument") && !run.stdout.contains("_arguments:"), "\(run)")
        let sections = Self.sections(run.stdout)
        func buffer(_ line: String) -> String? {
            guard let text = sections[line]?.joined(separator: "\n"),
                let start = text.range(of: "BUFFER<"),
                let end = text.range(of: ">END", range: start.upperBound..<text.endIndex)
            else { return nil }
            return String(text[start.upperBound..<end.lowerBound])
        }
        for option in Self.fileOptions {
            #expect(buffer("amap \(option) scanf") == "amap \(option) scanfile.xml ", "\(option): \(run)")
        }
        let options = sections["amap -"]?.joined(separator: "\n") ?? ""
        for option in ["-oJ", "-oX", "-oG", "-oA", "--metadata-file", "--timing"] {
            #expect(options.contains(option), "\(option) not offered: \(options)")
        }
        let timing = sections["amap --timing "]?.joined(separator: "\n") ?? ""
        #expect(["auto", "lan", "internet", "fixed"].allSatisfy(timing.contains), "\(timing)")
        let first = sections["amap "]?.joined(separator: "\n") ?? ""
        #expect(first.contains("db") && first.contains("learn"), "\(first)")
        #expect(buffer("amap 127.0.0.1 d") == "amap 127.0.0.1 d", "\(run)")
        #expect(buffer("amap db ") == "amap db check ", "\(run)")
    }

    // MARK: Shared

    /// The lines after each `=== LINE` marker, by LINE.
    static func sections(_ output: String) -> [String: [String]] {
        var sections: [String: [String]] = [:]
        var current: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("=== ") {
                current = String(line.dropFirst(4))
                sections[current ?? ""] = []
            } else if let current, !line.isEmpty {
                sections[current, default: []].append(line)
            }
        }
        return sections
    }

    /// The rules for shells whose probe prints the candidates one per line (bash, fish).
    static func expectCommonRules(_ offered: [String: [String]], run: AmapRun) {
        for option in fileOptions {
            #expect(offered["amap \(option) scanf"] == ["scanfile.xml"], "\(option): \(run)")
        }
        let options = Set(offered["amap -"] ?? [])
        #expect(options.isSuperset(of: ["-oJ", "-oX", "-oG", "-oA", "--metadata-file", "--timing", "-i"]),
                "\(options.sorted())")
        #expect(offered["amap --timing "] == ["auto", "lan", "internet", "fixed"], "\(run)")
        #expect(Set(offered["amap "] ?? []).isSuperset(of: ["db", "learn"]), "\(run)")
        #expect(offered["amap 127.0.0.1 d"] ?? [] == [], "subcommands only in first position: \(run)")
        #expect(offered["amap db "]?.contains("check") == true, "\(run)")
        #expect(!(offered["amap -oJ "] ?? []).contains("db"), "a file, not a subcommand, after -oJ: \(run)")
    }
}
