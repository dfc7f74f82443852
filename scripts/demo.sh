#!/usr/bin/env bash
# Engram's main job end to end, on the embedded default store: an agent keeps its memory as a
# versioned property graph, explores on a branch, merges, queries, diffs, and checks its store.
# Installs the system dependencies, builds the `engram` CLI and runs in a temporary directory.
# ENGRAM_BIN=<path> runs that `engram` instead of building one (the end-to-end test passes the
# binary it was built with); ENGRAM_DEMO_DIR=<dir> runs in that directory and keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ -n "${ENGRAM_BIN:-}" ]; then
  engram=$ENGRAM_BIN
else
  # The release binary, as a user would install it (README "Install").
  swift build -c release --product engram >/dev/null
  engram="$PWD/.build/release/engram"
fi
if [ -n "${ENGRAM_DEMO_DIR:-}" ]; then
  work=$ENGRAM_DEMO_DIR
  mkdir -p "$work"
  cleanup() { :; }
else
  work=$(mktemp -d)
  cleanup() { rm -rf "$work"; }
fi
trap cleanup EXIT
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ engram %s\n' "$*"; "$engram" "$@"; }

ada=01937000-0000-7000-8000-00000000000a
dark=01937000-0000-7000-8000-0000000000d1
editor=01937000-0000-7000-8000-0000000000e1
note1=01937000-0000-7000-8000-0000000000b1
note2=01937000-0000-7000-8000-0000000000b2
neovim=01937000-0000-7000-8000-0000000000e2
# A float32 vector as DAG-JSON bytes (an embedding the application made; none is bundled).
vector() { python3 -c 'import base64,struct,sys; v=[float(x) for x in sys.argv[1:]]; print(base64.b64encode(struct.pack("<%df" % len(v), *v)).decode().rstrip("="))' "$@"; }

step "A new memory repository (durable file store, sha2-256)"
run init

step "The agent's first session: people, preferences and how they relate"
run node add --label Person --prop name=Ada --prop role=engineer --id "$ada"
run node add --label Preference --prop topic=theme --prop value=dark --prop importance:=0.8 --id "$dark"
run node add --label Tool --prop name=editor --id "$editor"
run edge add "$ada" PREFERS "$dark" --prop since:=2025
run edge add "$ada" USES "$editor"
run status
first=$(run commit -m "first session" --author agent-1 --time 1763800000000000 | tail -1)
echo "commit $first"

step "Explore on a branch: a hypothesis the agent may discard"
run branch explore
run checkout explore
run node set "$dark" --prop value=light --prop importance:=0.3
run commit -m "user may prefer light theme" --author agent-1 --time 1763800060000000

step "Meanwhile on main: a new episode arrives as a JSON-lines change stream"
run checkout main
printf '%s\n' \
  '{"op":"put-node","id":"01937000-0000-7000-8000-0000000000f1","label":"Episode","props":{"text":"Ada renamed the project","at":1763800120000000}}' \
  '{"op":"put-edge","src":"01937000-0000-7000-8000-00000000000a","label":"MENTIONED_IN","dst":"01937000-0000-7000-8000-0000000000f1"}' \
  | run apply - -m "episode" --author agent-2 --time 1763800120000000

step "What the branch changed, property by property"
run diff main explore

step "Merge the exploration back (3-way, on the common ancestor)"
run merge explore --author agent-1 --time 1763800150000000
run log

step "Two sessions disagree on one property: the conflict, then its per-property resolution"
run node set "$dark" --prop importance:=0.9
run commit -m "user insists: dark matters" --author agent-1 --time 1763800180000000
run checkout explore
run node set "$dark" --prop importance:=0.1 --prop note="only at night"
run commit -m "light only at night" --author agent-2 --time 1763800200000000
run checkout main
run merge explore --json || echo "(conflict, exit $?: nothing changed)"
run merge explore --resolve "$dark.importance=theirs" --time 1763800240000000
run node get "$dark"

step "Queries at the new head: by label, by property, by range, by neighbourhood"
run query --label Preference --where topic=theme --json
run query --label Preference --range importance:0.1:0.5
run neighbors "$ada" --out
run neighbors "$ada" --out --label PREFERS --json

step "Recall: what does the agent know about Ada's editor? (BM25 over the full-text index, one hop of context, a token budget)"
run node add --label Note --prop "text=Ada edits everything in vim, with a dark theme" \
  --prop "embedding:={\"model\":\"toy-3d\",\"vector\":{\"/\":{\"bytes\":\"$(vector 0.9 0.1 0)\"}}}" --id "$note1"
run node add --label Note --prop "text=Café meeting: Ada wants her editor to start faster" \
  --prop "embedding:={\"model\":\"toy-3d\",\"vector\":{\"/\":{\"bytes\":\"$(vector 0.2 0.9 0.1)\"}}}" --id "$note2"
run edge add "$ada" WROTE "$note2"
run commit -m "two notes" --author agent-1 --time 1763800250000000
run recall "editor vim" --expand 1 --budget 120
echo '[1, 0, 0]' > query.json
run recall "editor" --vector-file query.json --model toy-3d --label Note --json

step "Valid time: the editor fact is superseded (closed, not deleted); what was true before is still answerable"
run node supersede "$editor" --label Tool --prop name=neovim --id "$neovim" --time 1763800300000000
run commit -m "Ada switched to neovim" --author agent-1 --time 1763800300000000
run query --label Tool
run query --label Tool --valid-at 2025-11-22T08:00:00Z
run query --label Tool --valid-at any --count

step "Time travel: the same node at the first commit"
run node get "$dark" --at "$first" --json

step "Every index is a Prolly tree: inspect the commit and the nodes tree"
run show HEAD --json
nodes_root=$("$engram" show HEAD --json | sed -n 's/.*"nodes":"\([a-z0-9]*\)".*/\1/p')
run tree stats "$nodes_root"
run block get "$nodes_root" --output-codec dag-json | head -c 300; echo

step "Codecs and CIDs: canonical bytes, one address"
printf '%s' '{"topic":"theme","value":"dark"}' | "$engram" codec convert --from dag-json --to dag-cbor > pref.cbor
run cid of --codec dag-cbor < pref.cbor
printf '%s' '{"value":"dark","topic":"theme"}' | "$engram" codec convert --from dag-json --to dag-cbor | "$engram" cid of --codec dag-cbor

step "Sync: a second agent clones the memory, adds to it and pushes back; only missing blocks move"
cd "$work" && mkdir agents && cd agents
printf '$ engram clone <memory> agent-b --stats\n'
"$engram" clone "$work" agent-b --stats
"$engram" -C agent-b node add --label Episode --prop "text=Agent B learnt Ada's editor is Helix" --id 01937000-0000-7000-8000-0000000000f2 >/dev/null
"$engram" -C agent-b commit -m "agent B: editor" --author agent-b >/dev/null
printf '$ engram -C agent-b push --stats\n'
"$engram" -C agent-b push --stats
cd "$work"
run log --oneline | head -3

step "Over HTTP: serve the memory; a third agent clones it and pushes with a bearer token"
port=$((20000 + RANDOM % 20000))
echo "demo-secret" > token
printf '$ engram serve --listen 127.0.0.1:%s --token-file token &\n' "$port"
"$engram" serve --listen "127.0.0.1:$port" --token-file token 2>serve.log &
server=$!
trap 'kill $server 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
run clone "http://127.0.0.1:$port" agents/agent-c --stats
"$engram" -C agents/agent-c node add --label Episode --prop "text=Agent C: Ada's talk is on Friday" >/dev/null
"$engram" -C agents/agent-c commit -m "agent C: talk" --author agent-c >/dev/null
"$engram" -C agents/agent-c push || echo "(refused without the token, exit $?)"
run push -C agents/agent-c --token-file token --stats
kill "$server"; wait "$server" 2>/dev/null || true
run log --oneline | head -3

step "Portable history: an incremental CAR archive of the last commit, imported elsewhere"
run car export HEAD~1 -o base.car
run car export HEAD --since HEAD~1 -o last.car
run init archive-copy
run car import base.car --ref main -C archive-copy
run car import last.car --ref main -C archive-copy
run log --oneline -C archive-copy | head -3

step "Damage is reported, never silently cut: one flipped bit in a copy of the live journal"
mkdir damaged-copy && cp -r .engram damaged-copy/
segment="damaged-copy/.engram/journal/$(ls damaged-copy/.engram/journal | tail -1)"
python3 -c 'import sys; p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[300] ^= 1; open(p, "wb").write(b)' "$segment"
printf '$ engram -C damaged-copy log\n'
"$engram" -C damaged-copy log || echo "(refused, exit $?; the file is untouched)"

step "Store health: fsck of the memory and of its copies, garbage collection, stats"
run fsck
run fsck -C agents/agent-c
run fsck -C archive-copy
run gc --dry-run
run stats

step "Bad input is refused with a named error, and nothing moves"
printf '\xa2\x61\x62\x01\x61\x61\x00' | "$engram" codec convert --from dag-cbor --to dag-json || echo "(refused, exit $?)"
"$engram" edge add "$ada" KNOWS 01937000-0000-7000-8000-0000000000ff || echo "(refused when staged, exit $?: no such node)"
"$engram" node add --label Person --prop name=Eve --id "$ada" || echo "(refused, exit $?: the id exists; node set changes a node)"
echo '{"op":"put-node","label":"Note","prop":{"text":"typo"}}' | "$engram" apply - -m bad || echo "(refused, exit $?: unknown field)"
run status
run log --oneline | head -3
echo
echo "demo complete"
