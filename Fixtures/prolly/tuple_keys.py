#!/usr/bin/env python3
"""Independent reference for SPEC.md 6.6 (tuple keys, format 2): encodes seeded tuples, checks that
bytewise order of the keys is tuple order and that the key of a prefix of complete components is
extended only by keys of tuples that start with those components, and prints the vectors in
Fixtures/prolly/tuple-keys.json. Standard library only.

    python3 Fixtures/prolly/tuple_keys.py > Fixtures/prolly/tuple-keys.json

A component is [kind, hex]: "id" (16 bytes), "text" (UTF-8), or a value: "null", "false",
"true" (hex empty), "int" (8 bytes, two's complement, big-endian), "float" (the 8 bytes of the
float64 bits, big-endian), "vtext" (UTF-8), "vbytes" (raw bytes).
"""
import hashlib, itertools, json, struct, sys, unicodedata
from splitmix import MASK, SplitMix64

MAX_VALUE = 64      # longest value encoding kept whole; also the prefix kept of a longer one
HASH_BYTES = 16



# --- encoding (SPEC.md 6.6) -------------------------------------------------------------------

def escape(raw):
    return raw.replace(b"\x00", b"\x00\xff") + b"\x00\x01"

def encode_value(kind, raw):
    if kind == "null": e = b"\x10"
    elif kind == "false": e = b"\x20"
    elif kind == "true": e = b"\x21"
    elif kind == "int": e = b"\x30" + ((int.from_bytes(raw, "big") ^ (1 << 63)).to_bytes(8, "big"))
    elif kind == "float":
        bits = int.from_bytes(raw, "big")
        if bits == 1 << 63: bits = 0                                  # -0.0 is written as 0.0
        bits = (~bits & MASK) if bits >> 63 else bits ^ (1 << 63)
        e = b"\x40" + bits.to_bytes(8, "big")
    elif kind == "vtext": e = b"\x50" + escape(raw)
    elif kind == "vbytes": e = b"\x60" + escape(raw)
    else: raise ValueError(kind)
    if len(e) > MAX_VALUE:
        return e[:MAX_VALUE] + hashlib.sha256(e).digest()[:HASH_BYTES], True
    return e, False

def encode(components):
    out, cut = b"", False
    for kind, raw in components:
        if kind == "id": assert len(raw) == 16; out += raw
        elif kind == "text": out += escape(raw)
        else:
            e, c = encode_value(kind, raw); out += e; cut = cut or c
    return out, cut


# --- the order tuples should have -------------------------------------------------------------

RANK = {"null": 0, "false": 1, "true": 2, "int": 3, "float": 4, "vtext": 5, "vbytes": 6}

def cmp(a, b): return (a > b) - (a < b)

def value_key(kind, raw):
    if kind == "int": return int.from_bytes(raw, "big", signed=True)
    if kind == "float":
        x = struct.unpack(">d", raw)[0]
        return 0.0 if x == 0 else x
    return raw

def compare_components(a, b):
    (ka, ra), (kb, rb) = a, b
    if ka in ("id", "text"): return cmp(ra, rb)           # bytes: a proper prefix first
    if RANK[ka] != RANK[kb]: return cmp(RANK[ka], RANK[kb])
    return cmp(value_key(ka, ra), value_key(kb, rb))

def compare_tuples(a, b):
    for x, y in zip(a, b):
        c = compare_components(x, y)
        if c: return c
    return cmp(len(a), len(b))


# --- generated tuples -------------------------------------------------------------------------

PIECES = ["", "a", "b", "\x00", "\x01", "\x7f", "\u00e9", unicodedata.normalize("NFD", "\u00e9"), "\u00ff",
          "\U0001F600", "\u0100", "ab", "a\x00b", "r", "r\x00s"]
IDS = [bytes(16), b"\xff" * 16, b"\xff" + bytes(15), b"\x00" * 15 + b"\x01", b"\x01" + b"\xff" * 15]
INTS = [-(1 << 63), -1, 0, 1, (1 << 63) - 1, 255, -256]
FLOATS = [float("-inf"), -1e300, -2.5, -0.0, 0.0, 5e-324, 1.0, 2.5, 1e300, float("inf")]

def text(g, long=False):
    n = g.below(70 if long else 4)
    return "".join(g.pick(PIECES) for _ in range(n)).encode()

def ident(g):
    return g.pick(IDS) if g.below(2) == 0 else bytes(g.pick([0x00, 0xff, 0x01, 0x61]) if g.below(2) else g.below(256)
                                                     for _ in range(16))

def value(g):
    k = g.pick(["null", "false", "true", "int", "float", "vtext", "vbytes", "vtext", "vbytes"])
    if k == "int":
        i = g.pick(INTS) if g.below(2) else g.next() - (1 << 63)
        return (k, (i & MASK).to_bytes(8, "big"))
    if k == "float":
        x = g.pick(FLOATS) if g.below(2) else struct.unpack(">d", g.next().to_bytes(8, "big"))[0]
        if x != x: x = 1.5                                         # NaN has no key
        return (k, struct.pack(">d", x))
    if k == "vtext": return (k, text(g, long=g.below(3) == 0))
    if k == "vbytes":
        return (k, bytes(g.pick([0, 1, 0xff, 0xfe, 0x61]) for _ in range(g.below(80 if g.below(3) == 0 else 5))))
    return (k, b"")

SHAPES = {
    "labels": lambda g: [("text", text(g)), ("id", ident(g))],
    "props": lambda g: [("text", text(g)), ("text", text(g)), value(g), ("id", ident(g))],
    "adjacency": lambda g: [("id", g.pick(IDS[:2])), ("text", text(g)), ("id", ident(g)), ("id", ident(g))],
}

def crafted():
    """Tuples at the edges: the finding of issue 9 (an id starting ff after a text that another
    text extends) and values around the 64-byte cut."""
    ff, zero = b"\xff" * 16, bytes(16)
    out = [("labels", [("text", t.encode()), ("id", i)]) for t in ["a", "a\x00", "a\x00b", "a\x01", "ab"] for i in (ff, zero)]
    out += [("adjacency", [("id", zero), ("text", t.encode()), ("id", i), ("id", ff)]) for t in ["r", "r\x00s"] for i in (ff, zero)]
    values = [("vtext", b"ab"), ("vtext", b"ab\x00c"), ("vbytes", b""), ("vbytes", b"\x00")]
    values += [("vtext", b"x" * n) for n in (45, 46, 47, 60, 61, 62, 63, 100)]
    values += [("vtext", b"x" * 46 + b"\x00" + b"y" * k) for k in (0, 20, 40)]
    values += [("vbytes", b"\x00" * n) for n in (29, 30, 31, 40)]
    # A long value whose hash starts 01: with only 48 bytes kept, its cut key would start with
    # the whole key of "x" * 46 (50, 46 x, 00 01), so that equality prefix would match it too.
    k = next(k for k in itertools.count() if hashlib.sha256(b"\x50" + escape(b"x" * 46 + b"\x00" + b"y" * k)).digest()[0] == 1)
    values.append(("vtext", b"x" * 46 + b"\x00" + b"y" * k))
    out += [("props", [("text", b"a"), ("text", b"n"), v, ("id", i)]) for v in values for i in (ff, zero)]
    return out

def generate(seed=6, per_shape=120):
    g = SplitMix64(seed)
    out = crafted()
    for shape, make in SHAPES.items():
        seen = set()
        while sum(1 for s, _ in out if s == shape) < per_shape:
            t = make(g)
            key = tuple(t)
            if key not in seen: seen.add(key); out.append((shape, t))
    return out


# --- checks -----------------------------------------------------------------------------------

def has_cut(t): return any(k not in ("id", "text") and encode_value(k, r)[1] for k, r in t)

def check(vectors):
    for shape in SHAPES:
        ts = [t for s, t in vectors if s == shape]
        keys = {tuple(t): encode(t)[0] for t in ts}
        for a, b in itertools.combinations(ts, 2):
            ka, kb = keys[tuple(a)], keys[tuple(b)]
            want = compare_tuples(a, b)
            if not (has_cut(a) or has_cut(b)):
                assert cmp(ka, kb) == want, (a, b)
            # Prefixes of complete components: x's key extends y's j-prefix iff x starts with it.
            for x, y in ((a, b), (b, a)):
                for j in range(1, len(y)):
                    if not has_cut(y[:j]):
                        same = all(compare_components(p, q) == 0 and p[0] == q[0] for p, q in zip(x[:j], y[:j]))
                        assert keys[tuple(x)].startswith(encode(y[:j])[0]) == same, (x, y, j)

def main():
    vectors = generate()
    check(vectors)
    rows = [{"shape": s, "tuple": [[k, r.hex()] for k, r in t], "key": encode(t)[0].hex(), "cut": encode(t)[1]}
            for s, t in vectors]
    json.dump({"spec": "SPEC.md 6.6, tuple key format 2", "generator": "Fixtures/prolly/tuple_keys.py, SplitMix64 seed 6",
               "vectors": rows}, sys.stdout, indent=1, sort_keys=True)
    print()

if __name__ == "__main__":
    main()
