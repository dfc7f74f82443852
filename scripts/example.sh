#!/usr/bin/env bash
# Builds Examples/AgentMemory (a package that depends on Engram by path, in its own .build),
# runs the agent-memory story and checks what it printed. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/../Examples/AgentMemory"
swift build --product AgentMemory
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift run --skip-build AgentMemory "$work" | tee "$work.out"
out="$work.out"
cid='bafyrei[a-z2-7]{52}'
expect() {
    if ! grep -Eq "$1" "$out"; then
        echo "example: expected a line matching: $1" >&2
        exit 1
    fi
}
expect "^An agent keeps its memory in $work/memory$"
expect "^  session 1 committed $cid$"
expect "^  session 2 committed $cid$"
expect "^  recalled: works from a café in Zürich$"
expect "^  main and hypothesis differ in 1 node\(s\)$"
expect "^  conflict: node [0-9a-f-]{36} props.value: base \"dark\", ours \"high-contrast\", theirs \"light\"$"
expect "^  merged as $cid$"
expect "^  the theme is high-contrast now, was dark after session 1$"
expect "^  exported [0-9]+ blocks; the archive's copy is at $cid$"
expect "^  cloned: main is at $cid$"
expect "^done$"
merged=$(sed -n 's/^  merged as //p' "$out")
grep -q "^  cloned: main is at $merged$" "$out" || { echo "example: the clone is not at the merge commit" >&2; exit 1; }
grep -q "the archive's copy is at $merged$" "$out" || { echo "example: the archive's copy is not at the merge commit" >&2; exit 1; }
rm -f "$out"
echo "example: AgentMemory told the whole story"
