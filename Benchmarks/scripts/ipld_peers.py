#!/usr/bin/env python3
"""Runs Engram's IPLD benchmark corpus through the Python peers libipld and cbrrr.

Reads the corpus written by the `ipld-corpus` tool (varint length + DAG-CBOR block, repeated),
checks that each peer re-encodes every block byte for byte, and prints encode/decode MB/s.
Used by Benchmarks/scripts/ipld_side_by_side.sh, which runs the Swift benchmarks in the same run.
"""
import sys
import time

import cbrrr
import libipld


def read_corpus(data):
    blocks, i = [], 0
    while i < len(data):
        n, shift = 0, 0
        while True:
            b = data[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        blocks.append(data[i:i + n])
        i += n
    return blocks


def best_of(fn, repeat=7):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    blocks = read_corpus(open(sys.argv[1], "rb").read())
    total = sum(len(b) for b in blocks)
    mb = total / 1e6
    print(f"corpus: {len(blocks)} records, {total} bytes")
    peers = {
        "libipld": (libipld.decode_dag_cbor, libipld.encode_dag_cbor),
        "cbrrr": (cbrrr.decode_dag_cbor, cbrrr.encode_dag_cbor),
    }
    for name, (decode, encode) in peers.items():
        values = [decode(b) for b in blocks]
        same = sum(encode(v) == b for v, b in zip(values, blocks))
        d = best_of(lambda: [decode(b) for b in blocks])
        e = best_of(lambda: [encode(v) for v in values])
        print(f"{name:8s} decode {mb / d:8.1f} MB/s   encode {mb / e:8.1f} MB/s   byte-exact re-encode {same}/{len(blocks)}")


if __name__ == "__main__":
    main()
