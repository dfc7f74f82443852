#!/usr/bin/env bash
# Engram's main job end to end: an agent records memories as content-addressed blocks.
# Installs the system dependencies, builds the `engram` CLI and runs the scenario in a
# temporary directory. Every step prints what it did; any failure stops the script.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --product engram >/dev/null
engram="$PWD/.build/debug/engram"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

step() { printf '\n== %s\n' "$*"; }

step "An agent writes a memory as DAG-JSON and stores its canonical DAG-CBOR form"
cat > memory.json <<'JSON'
{"label": "Preference", "_kind": "node",
 "props": {"text": "User prefers dark mode", "importance": 0.8, "created": 1763800000000000},
 "id": {"/": {"bytes": "AZNxQ2VnN3iJq83vASNFZw"}}}
JSON
"$engram" codec convert --from dag-json --to dag-cbor < memory.json > memory.cbor
echo "canonical DAG-CBOR: $(wc -c < memory.cbor) bytes"
"$engram" codec convert --from dag-cbor --to dag-json < memory.cbor

step "Its address (CID), with the default sha2-256 and with blake2b-256"
cid=$("$engram" cid of --codec dag-cbor < memory.cbor)
echo "sha2-256:    $cid"
echo "blake2b-256: $("$engram" cid of --codec dag-cbor --hash blake2b-256 < memory.cbor)"
"$engram" cid inspect "$cid"

step "Same content, keys in another order: same bytes, same CID"
printf '%s' '{"_kind":"node","id":{"/":{"bytes":"AZNxQ2VnN3iJq83vASNFZw"}},"props":{"created":1763800000000000,"importance":0.8,"text":"User prefers dark mode"},"label":"Preference"}' \
  | "$engram" codec convert --from dag-json --to dag-cbor | "$engram" cid of --codec dag-cbor

step "A later memory links to the first by CID"
printf '{"_kind":"node","label":"Episode","props":{"text":"Switched editor theme","about":{"/":"%s"}}}' "$cid" \
  | "$engram" codec convert --from dag-json --to dag-cbor | "$engram" codec convert --from dag-cbor --to dag-json

step "Corrupt input is refused with the rule and the offset"
printf '\xa2\x61\x62\x01\x61\x61\x00' | "$engram" codec convert --from dag-cbor --to dag-json || echo "(refused, exit $?)"
echo
echo "demo complete"
