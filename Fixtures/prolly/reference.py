#!/usr/bin/env python3
"""Independent reference for SPEC.md section 6: builds Prolly trees from the seeded generator and
prints the golden root CIDs in Fixtures/prolly/golden.json. Needs the `xxhash` package (pip).

    python3 Fixtures/prolly/reference.py > Fixtures/prolly/golden.json
"""
import base64, hashlib, json, sys
import xxhash
from splitmix import SplitMix64

MASK = (1 << 64) - 1


def entries(count, seed=42):
    g = SplitMix64(seed)
    out = {}
    for _ in range(count):
        k = g.bytes(16); out[k] = g.bytes(36)
    return sorted(out.items())

def header(major, n):
    m = major << 5
    if n < 24: return bytes([m | n])
    if n <= 0xff: return bytes([m | 24, n])
    if n <= 0xffff: return bytes([m | 25]) + n.to_bytes(2, "big")
    if n <= 0xffffffff: return bytes([m | 26]) + n.to_bytes(4, "big")
    return bytes([m | 27]) + n.to_bytes(8, "big")

def cbor_bytes(b): return header(2, len(b)) + b
def cbor_link(cid): return b"\xd8\x2a" + cbor_bytes(b"\x00" + cid)

def cid_of(block): return b"\x01\x71\x12\x20" + hashlib.sha256(block).digest()
def cid_text(cid): return "b" + base64.b32encode(cid).decode().lower().rstrip("=")

def encode_leaf(items):
    return (b"\xa3\x61k" + header(4, len(items)) + b"".join(cbor_bytes(k) for k, _ in items)
            + b"\x61l\x00\x61v" + header(4, len(items)) + b"".join(cbor_bytes(v) for _, v in items))

def encode_branch(level, items):  # items: (last key, cid, count)
    return (b"\xa4\x61c" + header(4, len(items)) + b"".join(cbor_link(c) for _, c, _ in items)
            + b"\x61k" + header(4, len(items)) + b"".join(cbor_bytes(k) for k, _, _ in items)
            + b"\x61l" + header(0, level)
            + b"\x61n" + header(4, len(items)) + b"".join(header(0, n) for _, _, n in items))

def boundary(key, level, s0, w, n):
    s1 = s0 + w
    if level > 0 and n < 2: return False
    if s1 < 512: return False
    if s1 >= 16384: return True
    h = xxhash.xxh64_intdigest(key, seed=level)
    return (h >> 16) < (s1 ** 4 - s0 ** 4)

def chunk(level, items, width):
    nodes, current, s, n = [], [], 0, 0
    for item in items:
        w = width(item); n += 1; current.append(item)
        if boundary(item[0], level, s, w, n):
            nodes.append(current); current, s, n = [], 0, 0
        else:
            s += w
    if current: nodes.append(current)
    return nodes

def build(items):
    if not items: return cid_of(encode_leaf([])), 1, 1
    level, node_count = 0, 0
    leaves = chunk(0, items, lambda kv: len(kv[0]) + len(cbor_bytes(kv[1])))
    refs = []
    for leaf in leaves:
        block = encode_leaf(leaf); refs.append((leaf[-1][0], cid_of(block), len(leaf)))
    node_count += len(refs)
    while len(refs) > 1:
        level += 1
        groups = chunk(level, refs, lambda r: len(r[0]) + len(r[1]))
        refs = [(g[-1][0], cid_of(encode_branch(level, g)), sum(r[2] for r in g)) for g in groups]
        node_count += len(refs)
    return refs[0][1], level + 1, node_count

if __name__ == "__main__":
    trees = []
    for name, count in [("empty", 0), ("one entry", 1), ("1,000 entries", 1000), ("100,000 entries", 100000)]:
        root, height, nodes = build(entries(count))
        trees.append({"name": name, "count": count, "seed": 42, "root": cid_text(root), "height": height, "nodes": nodes})
    json.dump({"generator": "SplitMix64(seed 42): per entry a 16-byte key then a 36-byte value, big-endian words (SPEC.md 6.7)",
               "hash": "sha2-256", "trees": trees}, sys.stdout, indent=1)
    print()
