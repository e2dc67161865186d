import ArgumentParser

/// The shell completion scripts: swift-argument-parser's, with the fixes a root command that takes positional
/// targets *and* has subcommands needs (`amap --generate-completion-script SHELL`).
///
/// swift-argument-parser 1.8 writes, for such a command, a zsh spec with two rest arguments (the targets and the
/// subcommand dispatch), which zsh refuses on every TAB ("doubled rest argument definition"). The zsh fix declares
/// the targets as the one rest argument, offers subcommands only as the first word, and dispatches to a
/// subcommand's function only when the first word names one. bash and fish took every word for a target, so
/// `amap db <TAB>` offered the subcommands again and never `check`, and bash offered subcommands after targets:
/// both now enter a subcommand only when the first word names it, and offer subcommands only there. Each edit
/// checks that its anchor exists, so a new
/// generator version fails the completion tests instead of shipping a silently broken script.
enum CompletionScript {
    /// The subcommands offered in first position.
    static var subcommandNames: [String] {
        AmapCommand.configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// The script for `shell`, or nil for a shell swift-argument-parser does not know.
    static func script(for shellName: String) -> String? {
        guard let shell = CompletionShell(rawValue: shellName) else { return nil }
        let generated = AmapCommand.completionScript(for: shell)
        switch shell {
        case .zsh: return zsh(generated)
        case .bash: return bash(generated)
        case .fish: return fish(generated)
        default: return generated
        }
    }

    /// Whether the arguments ask for a completion script (`--generate-completion-script SHELL`, first).
    static func requestedShell(_ arguments: [String]) -> String? {
        guard arguments.count == 2, arguments[0] == "--generate-completion-script" else { return nil }
        return arguments[1]
    }

    /// Replaces the first occurrence of `anchor` (in the generated root function, which comes first).
    private static func replaceFirst(_ anchor: String, _ replacement: String, in script: inout String) {
        guard let range = script.range(of: anchor) else { return }
        script.replaceSubrange(range, with: replacement)
    }

    /// The bash edits.
    static func bash(_ text: String) -> String {
        var script = text
        let names = subcommandNames.joined(separator: "|")
        replaceFirst(
            "    __amap_offer_flags_options -1\n",
            """
                # A subcommand is one only in first position; then its own function completes the rest.
                if [[ "${COMP_CWORD}" -gt 1 && "${COMP_WORDS[1]}" == @(\(names)) ]]; then
                    unparsed_words=("${COMP_WORDS[@]:2:$((COMP_CWORD - 1))}")
                    "_amap_${COMP_WORDS[1]}"
                    return
                fi
                __amap_offer_flags_options -1

            """, in: &script)
        let offer = "        COMPREPLY+=($(compgen -W '\(subcommandNames.joined(separator: " "))' -- \"${cur}\"))\n"
        replaceFirst(offer, "        [[ \"${COMP_CWORD}\" -eq 1 ]] &&" + offer.dropFirst(7), in: &script)
        return script
    }

    /// The fish edits: the root's parse takes a first word that names a subcommand as the subcommand.
    static func fish(_ text: String) -> String {
        var script = text
        guard let start = script.range(of: "    case 'amap'\n        __amap_parse_subcommand -r 1 "),
            let end = script[start.upperBound...].firstIndex(of: "\n")
        else { return script }
        let call = script[script.index(start.lowerBound, offsetBy: "    case 'amap'\n".count)..<end]
        let names = subcommandNames.joined(separator: " ")
        script.replaceSubrange(
            script.index(start.lowerBound, offsetBy: "    case 'amap'\n".count)..<end,
            with: """
                        if contains -- "$unparsed_tokens[2]" \(names)
                            __amap_parse_subcommand 0
                        else
                    \("    " + call)
                        end
                """)
        return script
    }

    /// The zsh edits, on the root function `_amap` only (the first occurrence of each anchor).
    static func zsh(_ text: String) -> String {
        var script = text
        let names = subcommandNames.joined(separator: "|")
        func replaceFirst(_ anchor: String, _ replacement: String) {
            Self.replaceFirst(anchor, replacement, in: &script)
        }
        replaceFirst("        '*:target-and-ports:'\n", "        '*:target-and-ports:->target'\n")
        replaceFirst("        '(-): :->command'\n        '(-)*:: :->arg'\n", "")
        replaceFirst(
            "    _arguments -w -s -S : \"${arg_specs[@]}\" && ret=0\n",
            """
                # A subcommand is one only in first position; then its own function completes the rest.
                if (( CURRENT > 2 )) && [[ "${words[2]}" == (\(names)) ]]; then
                    shift words
                    (( CURRENT-- ))
                    "_amap_${words[1]}"
                    return
                fi
                _arguments -w -s -S : "${arg_specs[@]}" && ret=0

            """)
        replaceFirst(
            "    command)\n        local -ar subcommands=(",
            """
                target)
                    _hosts && ret=0
                    (( CURRENT == 2 )) || return "${ret}"
                    local -ar subcommands=(
            """)
        return script
    }
}
