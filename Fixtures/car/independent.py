#!/usr/bin/env python3
"""An independent check of Engram's CAR files (SPEC.md "CAR archives"), run by
Tests/EngramCARTests/IndependentReaderTests.swift with the interpreter python-env.sh prints.

    independent.py read FILE.car     decodes FILE.car with libipld's decode_car and prints JSON:
                                     {"roots": [cid hex], "blocks": {cid hex: block bytes hex}};
                                     each block is re-encoded as DAG-CBOR and its SHA-256 checked
                                     against its CID here, with hashlib.
    independent.py write FILE.car    writes a CARv1 with the writer below (not libipld, which
                                     writes no CAR), and prints the same JSON with the blocks as
                                     an ordered list of [cid hex, bytes hex].
"""
import hashlib, json, sys


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def cbor_head(major, n):
    m = major << 5
    if n < 24: return bytes([m | n])
    if n <= 0xFF: return bytes([m | 24, n])
    if n <= 0xFFFF: return bytes([m | 25]) + n.to_bytes(2, "big")
    if n <= 0xFFFFFFFF: return bytes([m | 26]) + n.to_bytes(4, "big")
    return bytes([m | 27]) + n.to_bytes(8, "big")


def cbor_text(s):
    b = s.encode()
    return cbor_head(3, len(b)) + b


def cbor_link(cid):
    return b"\xd8\x2a" + cbor_head(2, len(cid) + 1) + b"\x00" + cid


def cid_v1(codec, data, blake=False):
    if blake:
        return bytes([0x01]) + varint(codec) + varint(0xB220) + b"\x20" + hashlib.blake2b(data, digest_size=32).digest()
    return bytes([0x01]) + varint(codec) + b"\x12\x20" + hashlib.sha256(data).digest()


def header(roots):
    # {"roots": [...], "version": 1}: keys in DAG-CBOR order (shorter first).
    return cbor_head(5, 2) + cbor_text("roots") + cbor_head(4, len(roots)) + b"".join(cbor_link(r) for r in roots) \
        + cbor_text("version") + cbor_head(0, 1)


def write(path):
    import libipld
    blocks = []
    previous = None
    for i in range(40):
        if i % 4 == 3:
            data = bytes((i * 37 + j) % 256 for j in range(i * 50))
            cid = cid_v1(0x55, data, blake=(i % 8 == 7))
        else:
            value = {"i": i, "text": ["é", "e\u0301", "水", "\x00nul", "𐅑"][i % 5] * (i % 3 + 1),
                     "neg": -(2 ** 63) - i, "f": i / 7, "bytes": bytes([i]) * i}
            if previous is not None:
                value["prev"] = previous  # libipld writes 36-byte CID bytes as a link
            data = libipld.encode_dag_cbor(value)
            cid = cid_v1(0x71, data)
            previous = cid
        blocks.append((cid, data))
    blocks.append((cid_v1(0x55, b""), b""))
    roots = [blocks[-2][0], blocks[0][0]]
    h = header(roots)
    with open(path, "wb") as f:
        f.write(varint(len(h)) + h)
        for cid, data in blocks:
            f.write(varint(len(cid) + len(data)) + cid + data)
    print(json.dumps({"roots": [r.hex() for r in roots], "blocks": [[c.hex(), d.hex()] for c, d in blocks]}))


def read(path):
    import libipld
    head, blocks = libipld.decode_car(open(path, "rb").read())
    assert head.get("version") == 1, head
    out = {}
    for cid, value in blocks.items():
        data = libipld.encode_dag_cbor(value)
        if cid[:4] != b"\x01\x71\x12\x20" or hashlib.sha256(data).digest() != cid[4:]:
            sys.exit(f"block {cid.hex()} does not hash to its CID")
        out[cid.hex()] = data.hex()
    print(json.dumps({"roots": [r.hex() for r in head["roots"]], "blocks": out}))


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
