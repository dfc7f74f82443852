#!/usr/bin/env python3
"""Round trips through `engram mcp` over stdio, with its own transport or the SDK's StdioTransport.

Usage: mcp-stdio.py ENGRAM_BINARY [line|sdk ...]
For each transport: a fresh repository; 200 sequential `engram_get` calls of one node and 200
10-node `engram_remember` calls (p50/p99 round trip), then one request carrying a 1 MB and a
4 MB string (remember) and one result of 1 MB and 4 MB (get with max_value_bytes raised).
Raw newline-delimited JSON-RPC on pipes, so only the server and its transport are measured.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


class Session:
    def __init__(self, engram, repo, transport):
        self.p = subprocess.Popen([engram, "mcp", "--repo", repo, "--transport", transport, "--durability", "none"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "1"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message):
        self.p.stdin.write(json.dumps(message).encode() + b"\n")

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("server exited")
            reply = json.loads(line)
            if reply.get("id") == self.next_id:
                return reply

    def tool(self, name, **args):
        reply = self.request("tools/call", {"name": name, "arguments": args})
        result = reply["result"]
        if result.get("isError"):
            raise RuntimeError(result["content"][0]["text"])
        return json.loads(result["content"][0]["text"])

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=30)


def timed(fn, n):
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    samples.sort()
    return samples[len(samples) // 2] * 1000, samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000


def run(engram, transport):
    repo = tempfile.mkdtemp(prefix="engram-mcp-bench-")
    subprocess.run([engram, "init", repo], check=True, stdout=subprocess.DEVNULL)
    s = Session(engram, repo, transport)
    node = s.tool("engram_remember", nodes=[{"label": "N", "props": {"i": 0}}])["nodes"][0]["id"]
    get = timed(lambda: s.tool("engram_get", ids=[node]), 200)
    counter = iter(range(10**9))
    batch = lambda: [{"label": "N", "props": {"i": next(counter), "text": "some remembered fact"}} for _ in range(10)]
    remember = timed(lambda: s.tool("engram_remember", nodes=batch()), 200)
    print(f"{transport}: get p50 {get[0]:.2f} ms p99 {get[1]:.2f} ms; 10-node remember p50 {remember[0]:.2f} ms p99 {remember[1]:.2f} ms")
    for mb in (1, 4):
        body = "x" * (mb << 20)
        t = time.perf_counter()
        big = s.tool("engram_remember", nodes=[{"label": "Big", "props": {"body": body}}])["nodes"][0]["id"]
        sent = time.perf_counter() - t
        t = time.perf_counter()
        got = s.tool("engram_get", ids=[big], max_value_bytes=16 << 20)
        received = time.perf_counter() - t
        assert got["nodes"][0]["props"]["body"] == body
        print(f"{transport}: {mb} MB request (remember) {sent * 1000:.0f} ms; {mb} MB result (get) {received * 1000:.0f} ms")
        sys.stdout.flush()
    s.close()


if __name__ == "__main__":
    engram = sys.argv[1]
    for transport in sys.argv[2:] or ["line", "sdk"]:
        run(engram, transport)
