#!/usr/bin/env bash
# Open cost against repository size (issue 9): `engram log -n 1` on an empty repository and on a
# 1,000,000-node repository built by 100 `engram apply` calls of 10,000 nodes and 20,000 edges
# each (strict durability, as a user runs it), each timed over 20 runs in the same session.
#
# Usage: bash Benchmarks/scripts/open-cost.sh [chunks] [nodes-per-chunk]   (defaults 100 10000)
set -euo pipefail
cd "$(dirname "$0")/../.."
chunks=${1:-100}
per=${2:-10000}
swift build -c release --product engram >/dev/null
engram="$(swift build -c release --show-bin-path)/engram"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$chunks" "$per" "$work" <<'PY'
import sys
chunks, per, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
state = 42
def rand():
    global state
    state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)
def uid(ms, r):
    h = f"{ms:012x}7{r & 0xfff:03x}{0x8000 | ((r >> 12) & 0x3fff):04x}{(r >> 26) & 0xffffffffffff:012x}"
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
for c in range(chunks):
    base = c * per
    nodes = [uid(1_700_000_000_000 + (base + i) // 16, base + i) for i in range(per)]
    with open(f"{work}/chunk-{c}.jsonl", "w") as out:
        for i, node in enumerate(nodes):
            out.write(f'{{"op":"put-node","id":"{node}","label":"Person","props":{{"name":"user-{base + i}","age":{i % 100},"group":{i % 1000}}}}}\n')
        for i in range(2 * per):
            eid = uid(1_800_000_000_000 + (2 * base + i) // 16, 2 * base + i)
            out.write(f'{{"op":"put-edge","id":"{eid}","src":"{nodes[i // 2]}","label":"knows","dst":"{nodes[rand() % per]}"}}\n')
PY

time_log() {  # median wall clock of `engram log -n 1` over 20 runs, in ms
    python3 - "$engram" "$1" <<'PY'
import subprocess, sys, time
engram, repo = sys.argv[1], sys.argv[2]
times = []
for _ in range(20):
    t = time.perf_counter()
    subprocess.run([engram, "-C", repo, "log", "-n", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"{times[len(times) // 2]:.1f}")
PY
}

"$engram" init "$work/empty" >/dev/null
"$engram" -C "$work/empty" node add --label Person --prop name=a >/dev/null
"$engram" -C "$work/empty" commit -m first >/dev/null
"$engram" init "$work/big" >/dev/null
start=$(date +%s.%N)
for ((c = 0; c < chunks; c++)); do
    "$engram" -C "$work/big" apply -m "chunk $c" "$work/chunk-$c.jsonl" >/dev/null
done
end=$(date +%s.%N)
echo "built $((chunks * per)) nodes, $((2 * chunks * per)) edges in $chunks applies: $(echo "$end - $start" | bc) s"
echo "journal segments: $(ls "$work/big/.engram/journal" | wc -l), packs: $(ls "$work/big/.engram/packs" | grep -c pack$ || true), live journal bytes: $(du -cb "$work/big/.engram/journal" | tail -1 | cut -f1)"
empty=$(time_log "$work/empty")
big=$(time_log "$work/big")
echo "engram log -n 1: one-commit repository ${empty} ms, $((chunks * per))-node repository ${big} ms (median of 20)"
