#!/usr/bin/env python3
"""Engram's Prolly tree and the Python `prollytree` package (PyPI) on the same key/value stream,
side by side in one run.

The stream is SPEC.md 6.7's generator: SplitMix64 seed 42, per entry a 16-byte key then a 36-byte
value. Engram's side is `ProllyPeerRun` (built here in release mode); prollytree's side uses an
in-memory `ProllyTree` with an explicit `TreeConfig` (its documented defaults, written out).

    python3 -m venv Benchmarks/.venv && Benchmarks/.venv/bin/pip install prollytree xxhash
    Benchmarks/.venv/bin/python Benchmarks/scripts/prolly_peers.py [entries]

prollytree's `diff` returns no changes for in-memory trees, so its diff time is shown for
reference only; Engram's diff is checked against its own cost model (node reads <= 100 x height x 2).
Both sides are timed in CPU time (thread CPU for Engram, whose timed work is single-threaded; process
CPU for prollytree), so a busy shared machine skews the comparison less than wall clock would.
"""
import json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(os.path.dirname(BENCH), "Fixtures", "prolly"))
from reference import entries as stream, SplitMix64  # noqa: E402
from prollytree import ProllyTree, TreeConfig  # noqa: E402

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000

subprocess.run(["swift", "build", "-c", "release", "--product", "ProllyPeerRun"], cwd=BENCH, check=True,
               stdout=subprocess.DEVNULL)
binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=BENCH, check=True,
                        capture_output=True, text=True).stdout.strip()
engram = json.loads(subprocess.run([os.path.join(binary, "ProllyPeerRun"), str(count)], check=True,
                                   capture_output=True, text=True).stdout)

items = stream(count)
config = TreeConfig(base=4, modulus=64, min_chunk_size=1, max_chunk_size=4096, pattern=0)
build = float("inf")
for _ in range(2):
    tree = ProllyTree(config=config)
    start = time.process_time()
    tree.insert_batch(items)
    tree.get_root_hash()
    build = min(build, time.process_time() - start)

rng = SplitMix64(99)
# prollytree's single insert into a large tree takes about a second per key, so a few samples.
inserts = [rng.bytes(16) for _ in range(5)]
value = rng.bytes(36)
start = time.process_time()
for key in inserts:
    tree.insert(key, value)
    tree.get_root_hash()
insert = (time.process_time() - start) / len(inserts)

probes = [items[rng.next() % len(items)][0] for _ in range(100_000)]
for key in probes: tree.find(key)
start = time.process_time()
for key in probes: tree.find(key)
lookup = (time.process_time() - start) / len(probes)

# The second tree: 50 keys added and 50 removed, built in one batch (single edits are too slow).
changed = dict(items)
for i in range(100):
    if i % 2 == 0: changed[rng.bytes(16)] = value
    else: changed.pop(probes[i], None)
other = ProllyTree(config=config)
other.insert_batch(sorted(changed.items()))
start = time.process_time()
tree.diff(other)
diff = time.process_time() - start

def row(name, ours, theirs, unit):
    print(f"| {name} | {ours} | {theirs} | {unit} |")

print(f"{count:,} entries, 16-byte keys, 36-byte values (SplitMix64 seed 42)\n")
print("| operation | Engram | prollytree | unit |")
print("|---|---|---|---|")
row("bulk build", f"{engram['build_entries_per_second']:,.0f}", f"{count / build:,.0f}", "entries/s (insert_batch for prollytree)")
row("bulk build ratio", f"{engram['build_entries_per_second'] / (count / build):.1f}x", "1x", "")
row("insert one, new root", f"{engram['insert_seconds'] * 1e6:.1f}", f"{insert * 1e6:.1f}", "us")
row("warm point lookup", f"{engram['lookup_seconds'] * 1e6:.2f}", f"{lookup * 1e6:.2f}", "us")
row("diff, 100 changed keys", f"{engram['diff_seconds'] * 1e3:.2f}", f"{diff * 1e3:.2f} (returns nothing)", "ms")
print(f"\nEngram diff: {engram['diff_changes']} changes, {engram['diff_node_reads']} node reads "
      f"(bound 100 x height {engram['height']} x 2 = {200 * engram['height']})")
