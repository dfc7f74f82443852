#!/usr/bin/env python3
"""Writes the seed corpora that come from fixture files (Fixtures/ and ../shared/fixtures/
when present) into <out>/<harness>/. Seeds that need the project's encoders (Prolly nodes, a
real journal segment, a real pack index) are written by the harnesses themselves (FUZZ_SEED_DIR).
Only small inputs are kept: the harnesses run with -max_len=4096."""
import base64, glob, hashlib, json, os, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.path.join(os.path.dirname(root), "shared", "fixtures")
out = sys.argv[1]
MAX = 4096


def seed(harness, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX:
        return
    directory = os.path.join(out, harness)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "fixture-" + hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def cid_seeds(text):
    """A text CID and, for base32 ones, its binary form."""
    seed("cid", text)
    if text.startswith("b"):
        body = text[1:].upper()
        seed("cid", base64.b32decode(body + "=" * (-len(body) % 8)))


def hex_strings(value):
    """Every string under a key ending in 'hex' (or 'data') anywhere in a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str) and (k.endswith("hex") or k == "data"):
                try:
                    yield bytes.fromhex(v)
                except ValueError:
                    pass
            else:
                yield from hex_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from hex_strings(v)


golden = json.load(open(os.path.join(root, "Fixtures/ipld/golden-values.json")))
for v in golden["vectors"]:
    seed("dagcbor", bytes.fromhex(v["dag_cbor_hex"]))
    seed("dagjson", v["dag_json"])
    for key in ("cid_sha2_256", "cid_blake2b_256", "dag_json_cid_sha2_256"):
        cid_seeds(v[key])

records = json.load(open(os.path.join(root, "Fixtures/store/record-vectors.json")))
block, commit = bytes.fromhex(records["block_record"]["hex"]), bytes.fromhex(records["commit_record"]["hex"])
seed("journal", b"\x01" + block + commit)  # flag bit 0: the last segment
seed("journal", b"\x00" + block + commit)

if os.path.isdir(shared):
    codec = os.path.join(shared, "ipld-codec-fixtures")
    for path in glob.glob(os.path.join(codec, "fixtures", "*", "*")):
        data = open(path, "rb").read()
        name = os.path.basename(path)
        if name.endswith(".dag-cbor"):
            seed("dagcbor", data)
        elif name.endswith(".dag-json"):
            seed("dagjson", data)
        cid_seeds(name.rsplit(".", 1)[0])
    for path in glob.glob(os.path.join(codec, "negative-fixtures", "dag-cbor", "*", "*.json")):
        for data in hex_strings(json.load(open(path))):
            seed("dagcbor", data)
    for path in glob.glob(os.path.join(codec, "negative-fixtures", "dag-json", "*", "*.json")):
        for data in hex_strings(json.load(open(path))):
            seed("dagjson", data)
    for path in glob.glob(os.path.join(shared, "dasl-testing", "fixtures", "cbor", "*.json")):
        for data in hex_strings(json.load(open(path))):
            seed("dagcbor", data)
            seed("cid", data)

    # CAR archives (the harness's first byte is its read size; 7 bytes at a time here). The
    # codec fixtures' archive is longer than a seed may be: its first 4 KiB still cover many
    # sections (and end in a truncated one).
    car = os.path.join(shared, "ipld-ipld", "specs", "transport", "car", "fixture")
    for path in glob.glob(os.path.join(car, "*", "*.car")):
        seed("car", b"\x06" + open(path, "rb").read())
    codec_car = open(os.path.join(codec, "fixtures.car"), "rb").read()
    seed("car", b"\x06" + codec_car[:MAX - 1])
