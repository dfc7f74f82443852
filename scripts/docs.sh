#!/usr/bin/env bash
# Builds the DocC documentation of every library module into .build/docs/<Module>.doccarchive
# and fails on any warning (a broken symbol link, an undocumented parameter, a bad directive).
# Then lists every public symbol of those modules that has no documentation comment, and fails
# if there is one.
# The docc plugin is a dependency only while ENGRAM_DOCS=1 (see Package.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
export ENGRAM_DOCS=1
modules=(EngramIPLD EngramStorage EngramStore EngramProlly EngramCAR Engram EngramSync)
output=.build/docs
mkdir -p "$output"
failed=0
for module in "${modules[@]}"; do
    log="$output/$module.log"
    if ! swift package --allow-writing-to-directory "$output" generate-documentation \
        --target "$module" --output-path "$output/$module.doccarchive" \
        --warnings-as-errors \
        >"$log" 2>&1; then
        echo "docs: $module failed to build:" >&2
        grep -E "warning:|error:" "$log" >&2 || tail -20 "$log" >&2
        failed=1
        continue
    fi
    if grep -qE "warning:" "$log"; then
        echo "docs: $module has warnings:" >&2
        grep -E "warning:" "$log" >&2
        failed=1
        continue
    fi
    echo "docs: $module -> $output/$module.doccarchive"
done
swift package dump-symbol-graph --minimum-access-level public >"$output/symbol-graph.log" 2>&1 || {
    tail -20 "$output/symbol-graph.log" >&2
    exit 1
}
graphs=$(sed -n 's/^Files written to //p' "$output/symbol-graph.log" | tail -1)
python3 scripts/undocumented.py "${graphs:-.build}" "${modules[@]}" || failed=1
exit $failed
