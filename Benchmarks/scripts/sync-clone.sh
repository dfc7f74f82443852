#!/usr/bin/env bash
# Sync over loopback HTTP (issue 10), in one run on one machine:
#  1. clone of a repository built by `chunks` applies of `per` nodes and 2*per edges each
#     (default 100 x 10,000: 1,000,000 nodes) through `engram serve`: MB/s and blocks/s;
#  2. `git clone` over git:// (git daemon on loopback) of a git repository with the same number
#     of objects, blobs of the same mean size;
#  3. an incremental pull after 100 changed nodes: latency, bytes, round trips.
#
# Usage: bash Benchmarks/scripts/sync-clone.sh [chunks] [nodes-per-chunk]
set -euo pipefail
cd "$(dirname "$0")/../.."
chunks=${1:-100}
per=${2:-10000}
swift build -c release --product engram >/dev/null
engram="$(swift build -c release --show-bin-path)/engram"
work=$(mktemp -d)
cleanup() { [[ -n "${server:-}" ]] && kill "$server" 2>/dev/null; [[ -n "${daemon:-}" ]] && kill "$daemon" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 Benchmarks/scripts/graphgen.py chunks "$chunks" "$per" "$work"
python3 - "$chunks" "$per" "$work" <<'PY'
import sys
chunks, per, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, "Benchmarks/scripts")
from graphgen import person
with open(f"{work}/change.jsonl", "w") as out:
    for k in range(100):
        node = person((k * 7919) % (chunks * per))
        out.write(f'{{"op":"put-node","id":"{node}","label":"Person","props":{{"name":"changed-{k}","age":{k},"group":1}}}}\n')
PY

"$engram" init "$work/origin" >/dev/null
for ((c = 0; c < chunks; c++)); do
    "$engram" -C "$work/origin" apply -m "chunk $c" "$work/chunk-$c.jsonl" >/dev/null
done
port=$((20000 + RANDOM % 20000))
serve() {  # the server holds the repository's writer lock while it runs
    "$engram" -C "$work/origin" serve --listen "127.0.0.1:$port" --no-auth 2>>"$work/serve.log" &
    server=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
}
serve

start=$(date +%s.%N)
"$engram" clone "http://127.0.0.1:$port" "$work/copy" --stats --json >"$work/clone.json"
end=$(date +%s.%N)
python3 - "$work/clone.json" "$start" "$end" "$((chunks * per))" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))["stats"]
seconds = float(sys.argv[3]) - float(sys.argv[2])
blocks, size = stats["blocks_received"], stats["bytes_received"]
print(f"engram clone over HTTP, {int(sys.argv[4]):,} nodes: {seconds:.2f} s, {blocks:,} blocks, {size / 1e6:.1f} MB of blocks, "
      f"{size / 1e6 / seconds:.1f} MB/s, {blocks / seconds:,.0f} blocks/s, {stats['round_trips']} round trips")
open(sys.argv[1] + ".blocks", "w").write(f"{blocks} {size}\n")
PY
read -r blocks size < "$work/clone.json.blocks"

# A git repository with as many objects, blobs of the same mean size, in 100 commits of
# directories of 1,000 files (trees and commits count as objects too).
python3 - "$blocks" "$size" "$work/fast-import" <<'PY'
import sys
blocks, size, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
mean = max(1, size // blocks)
commits = 100
dirs_per_commit = max(1, blocks // commits // 1000)
blobs = blocks - commits - commits * (dirs_per_commit + 1)
per_commit = blobs // commits
with open(path, "wb") as out:
    n = 0
    for c in range(commits):
        out.write(b"commit refs/heads/main\ncommitter bench <b@e> 1700000000 +0000\ndata 6\nchunk\n")
        for i in range(per_commit):
            body = (f"blob {n} " * (mean // 8 + 1)).encode()[:mean]
            out.write(f"M 100644 inline c{c}/d{i // 1000}/f{i}\ndata {len(body)}\n".encode() + body + b"\n")
            n += 1
PY
git init -q --bare "$work/git/origin.git"
git -C "$work/git/origin.git" fast-import --quiet < "$work/fast-import"
git -C "$work/git/origin.git" repack -adq
objects=$(git -C "$work/git/origin.git" count-objects -v | awk '/in-pack/ {print $2}')
gport=$((port + 1))
git daemon --reuseaddr --base-path="$work/git" --export-all --port="$gport" --listen=127.0.0.1 "$work/git" &
daemon=$!
sleep 1
start=$(date +%s.%N)
git clone -q --bare "git://127.0.0.1:$gport/origin.git" "$work/git-copy.git"
end=$(date +%s.%N)
pack=$(du -cb "$work/git-copy.git/objects/pack" | tail -1 | cut -f1)
echo "git clone over git:// of $objects objects: $(echo "$end - $start" | bc) s, pack $((pack / 1000000)) MB"

kill "$server"; wait "$server" 2>/dev/null || true
"$engram" -C "$work/origin" apply -m "100 changes" "$work/change.jsonl" >/dev/null
serve
start=$(date +%s.%N)
"$engram" -C "$work/copy" pull --stats --json >"$work/pull.json"
end=$(date +%s.%N)
python3 - "$work/pull.json" "$start" "$end" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))["stats"]
ms = (float(sys.argv[3]) - float(sys.argv[2])) * 1000
print(f"engram pull of 100 changed nodes over HTTP: {ms:.0f} ms (whole CLI process), {stats['blocks_received']} blocks, "
      f"{stats['bytes_received']:,} bytes, {stats['round_trips']} round trips, {stats['blocks_duplicated']} duplicated")
PY
