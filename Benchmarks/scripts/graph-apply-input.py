#!/usr/bin/env python3
"""Writes the `engram apply` benchmark input to stdout: N put-node lines (label Person, props
name/age/group) then 2N put-edge lines (each node to two pseudo-random nodes), deterministic.

Usage: graph-apply-input.py [N] > changes.jsonl   (N defaults to 1000000)
"""
import os
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.stdout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from graphgen import SplitMix64, uid  # noqa: E402

rand = SplitMix64(42).next


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
