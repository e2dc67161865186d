#!/usr/bin/env bash
# Regenerates the man page (docs/amap.1) and the shell completions (docs/completions/amap.{bash,zsh,fish}) from
# the command definition in Sources/amap, so they never drift from --help. Run after changing an option:
#
#     bash scripts/generate-docs.sh
#
# The man page comes from swift-argument-parser's generate-manual plugin (it builds the package, runs
# `amap --experimental-dump-help` and writes mdoc); the completions from `amap --generate-completion-script SHELL`.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product amap
bin="$(swift build --show-bin-path)/amap"

# Debug, like the build above: the plugin defaults to release, which would rebuild everything.
swift package plugin generate-manual --configuration debug --authors "the swift-amap authors"
manual="$(find .build -path '*GenerateManual*/amap/amap.1' -newer "$bin" -print -quit)"
if [[ -z "$manual" ]]; then
    echo "generate-docs: the generate-manual plugin wrote no amap.1" >&2
    exit 1
fi
mkdir -p docs/completions
cp "$manual" docs/amap.1
# amap's SYNOPSIS, the real exit statuses, FILES, EXAMPLES and SEE ALSO (the plugin writes none of them).
python3 scripts/man-sections.py docs/amap.1

for shell in bash zsh fish; do
    "$bin" --generate-completion-script "$shell" > "docs/completions/amap.$shell"
done
echo "generate-docs: wrote docs/amap.1 and docs/completions/amap.{bash,zsh,fish}"
