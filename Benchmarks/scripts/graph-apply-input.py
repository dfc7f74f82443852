#!/usr/bin/env python3
"""Writes the `engram apply` benchmark input to stdout: N put-node lines (label Person, props
name/age/group) then 2N put-edge lines (each node to two pseudo-random nodes), deterministic.

Usage: graph-apply-input.py [N] > changes.jsonl   (N defaults to 1000000)
"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.stdout
state = 42


def rand():
    # SplitMix64, as the Swift benchmarks use.
    global state
    state = (state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


def uid(ms, r):
    h = f"{ms:012x}7{r & 0xfff:03x}{0x8000 | ((r >> 12) & 0x3fff):04x}{(r >> 26) & 0xffffffffffff:012x}"
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


nodes = [uid(1_700_000_000_000 + i // 16, i) for i in range(n)]
buf = []
for i, node in enumerate(nodes):
    buf.append(f'{{"op":"put-node","id":"{node}","label":"Person","props":{{"name":"user-{i}","age":{i % 100},"group":{i % 1000}}}}}\n')
    if len(buf) >= 10000:
        out.write("".join(buf))
        buf = []
for i in range(2 * n):
    src = nodes[i // 2]
    dst = nodes[rand() % n]
    eid = uid(1_800_000_000_000 + i // 16, i)
    buf.append(f'{{"op":"put-edge","id":"{eid}","src":"{src}","label":"knows","dst":"{dst}"}}\n')
    if len(buf) >= 10000:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))
