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

python3 Benchmarks/scripts/graphgen.py chunks "$chunks" "$per" "$work"

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
