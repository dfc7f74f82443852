#!/usr/bin/env python3
"""Cross-checks Fixtures/ipld/golden-values.json with independent implementations.

Every vector's DAG-CBOR bytes must decode with libipld and the `dag-cbor` package, re-encode
to the same bytes, and hash (sha2-256) to the recorded CID. Run:
    python3 -m venv .venv && .venv/bin/pip install libipld dag-cbor multiformats
    .venv/bin/python Benchmarks/scripts/check_golden.py
"""
import hashlib
import json
import pathlib
import sys

import dag_cbor
import libipld
from multiformats import CID

root = pathlib.Path(__file__).resolve().parents[2]
doc = json.loads((root / "Fixtures/ipld/golden-values.json").read_text())
failures = 0
for v in doc["vectors"]:
    data = bytes.fromhex(v["dag_cbor_hex"])
    ok = libipld.encode_dag_cbor(libipld.decode_dag_cbor(data)) == data
    ok &= dag_cbor.encode(dag_cbor.decode(data)) == data
    ok &= str(CID("base32", 1, "dag-cbor", ("sha2-256", hashlib.sha256(data).digest()))) == v["cid_sha2_256"]
    ok &= str(CID("base32", 1, "dag-cbor", ("blake2b-256", hashlib.blake2b(data, digest_size=32).digest()))) == v["cid_blake2b_256"]
    print(("ok  " if ok else "FAIL"), v["name"])
    failures += not ok
print(f"{len(doc['vectors']) - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
