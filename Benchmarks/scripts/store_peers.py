#!/usr/bin/env python3
"""SQLite (WAL) peer for the Engram block store benchmarks.

Runs the same workload as Benchmarks/StoreBenchmarks (Workload.swift): block i is an 8-byte
little-endian counter plus a 1024-4096-byte slice of a fixed 1 MiB text-like pool; its key is
the CIDv1 (raw, sha2-256); blocks are committed 1,000 per transaction, each transaction also
moving a `main` ref, in WAL mode with synchronous=FULL (durable at COMMIT, as Engram's strict
mode). Also measures a 10-row commit and a bare fdatasync in the same run.

Usage: python3 scripts/store_peers.py [--blocks 1000000] [--dir /tmp/engram-bench]
       [--engram]   also run the Engram 1M ingest (engram-store-ingest via the benchmark's
                    large-store builder) first, for a side-by-side run.
"""
import argparse, hashlib, os, shutil, sqlite3, subprocess, sys, time

MASK = (1 << 64) - 1
WORDS = ["memory", "agent", "graph", "node", "edge", "commit", "the", "of", "and", "a", "tree", "hash",
         "prolly", "store", "block", "user", "said", "remember", "that", "task", "plan", "tool", "result"]


def make_pool():
    state, out = 42, bytearray()
    while len(out) < 1 << 20:
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK
        out += WORDS[(state >> 33) % len(WORDS)].encode()
        out.append(0x0A if state >> 60 == 0 else 0x20)
        if (state >> 40) & 0xF == 0:
            n, digits = state >> 44, ""
            while True:
                n, r = divmod(n, 36)
                digits = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + digits
                if n == 0:
                    break
            out += digits.encode()
    return bytes(out[: 1 << 20])


POOL = make_pool()


def block(i):
    s = (i * 0x9E3779B97F4A7C15) & MASK
    s ^= s >> 29
    length = 1024 + s % 3073
    offset = (s >> 16) % (len(POOL) - length)
    data = i.to_bytes(8, "little") + POOL[offset: offset + length - 8]
    return b"\x01\x55\x12\x20" + hashlib.sha256(data).digest(), data


def sqlite_ingest(path, blocks, per_commit=1000):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE blocks(cid BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
    db.execute("CREATE TABLE refs(name TEXT PRIMARY KEY, target BLOB NOT NULL)")
    start = time.perf_counter()
    for first in range(0, blocks, per_commit):
        rows = [block(i) for i in range(first, min(first + per_commit, blocks))]
        db.execute("BEGIN")
        db.executemany("INSERT OR IGNORE INTO blocks VALUES (?, ?)", rows)
        db.execute("INSERT OR REPLACE INTO refs VALUES ('main', ?)", (rows[-1][0],))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    return db, elapsed


def small_commits(db, n=200):
    times = []
    base = 50_000_000
    for k in range(n):
        rows = [block(base + k * 10 + j) for j in range(10)]
        t = time.perf_counter()
        db.execute("BEGIN")
        db.executemany("INSERT OR IGNORE INTO blocks VALUES (?, ?)", rows)
        db.execute("COMMIT")
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


def bare_fdatasync(directory, n=200):
    path = os.path.join(directory, "fdatasync-peer.bin")
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o644)
    page, times = b"\x5a" * 4096, []
    for k in range(n):
        t = time.perf_counter()
        os.pwrite(fd, page, k * 4096)
        os.fdatasync(fd)
        times.append(time.perf_counter() - t)
    os.close(fd)
    os.remove(path)
    times.sort()
    return times[len(times) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--blocks", type=int, default=1_000_000)
    ap.add_argument("--dir", default=os.environ.get("ENGRAM_BENCH_DIR", "/tmp/engram-bench"))
    ap.add_argument("--engram", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    if args.engram:
        env = dict(os.environ, ENGRAM_BENCH_DIR=args.dir, ENGRAM_BENCH_BLOCKS=str(args.blocks))
        shutil.rmtree(os.path.join(args.dir, f"large-{args.blocks}"), ignore_errors=True)
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        subprocess.run(["swift", "package", "--disable-sandbox", "benchmark", "--target", "StoreBenchmarks",
                        "--filter", "Open the large store", "--filter", "Random get.*"], cwd=here, env=env, check=True)
    db, elapsed = sqlite_ingest(os.path.join(args.dir, "peer.sqlite"), args.blocks)
    print(f"sqlite {sqlite3.sqlite_version} WAL synchronous=FULL: {args.blocks} blocks in {elapsed:.2f} s "
          f"= {args.blocks / elapsed:,.0f} blocks/s")
    print(f"sqlite 10-row commit p50: {small_commits(db) * 1e6:,.0f} us")
    print(f"bare fdatasync (4 KiB append) p50: {bare_fdatasync(args.dir) * 1e6:,.0f} us")
    db.close()
    for suffix in ("", "-wal", "-shm"):
        p = os.path.join(args.dir, "peer.sqlite" + suffix)
        if os.path.exists(p):
            os.remove(p)


if __name__ == "__main__":
    main()
