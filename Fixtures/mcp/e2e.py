#!/usr/bin/env python3
"""Drives `engram mcp` with the independent Python MCP client (the `mcp` package from PyPI).

Usage: e2e.py ENGRAM_BINARY REPOSITORY SCENARIO [stdio|http]
Scenarios: tools (every tool, results checked), bad (bad input gets error results, the server
keeps serving), concurrent (two server processes commit 100 times each; over http: two sessions
of one `engram serve`, while a third process pushes to it), notify (a commit by another process
or session is announced as a resource update), nowait (`engram mcp --wait 0` fails at once while
`engram serve` holds the writer lock), http_errors (over http: missing or wrong token, bad bodies,
unknown sessions get typed HTTP errors), shutdown (over http: serve stops on SIGTERM while a
session holds its notification stream open). With `http`, the scenario talks to `engram serve` at /mcp
over Streamable HTTP (the client's `streamable_http_client`), with the serve's bearer token.
Prints "ok <scenario>" and exits 0, or prints the failed check and exits 1.
"""
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from contextlib import asynccontextmanager

import httpx
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

ENGRAM, REPO, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]
HTTP = len(sys.argv) > 4 and sys.argv[4] == "http"


class Serve:
    """`engram serve` on REPO at a free loopback port, with a write token."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="engram-serve-")
        self.token = "t-" + uuid.uuid4().hex
        token_file = os.path.join(self.dir, "token")
        with open(token_file, "w") as f:
            f.write(self.token + "\n")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.url = self.base + "/mcp"
        self.log = open(os.path.join(self.dir, "serve.log"), "w")
        self.proc = subprocess.Popen([ENGRAM, "serve", "-C", REPO, "--listen", f"127.0.0.1:{port}", "--token-file", token_file],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while True:
            check(self.proc.poll() is None, f"engram serve exited: {open(self.log.name).read()[-2000:]}")
            try:
                if httpx.get(self.base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            check(time.monotonic() < deadline, "engram serve did not start in 60 s")
            time.sleep(0.1)

    def auth(self, token=None):
        return {"Authorization": f"Bearer {token or self.token}"}

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


SERVE = None


@asynccontextmanager
async def server(message_handler=None, client_name="e2e"):
    kwargs = {"message_handler": message_handler} if message_handler else {}
    if HTTP:
        timeout = httpx.Timeout(120, read=300)
        async with httpx.AsyncClient(headers=SERVE.auth(), timeout=timeout) as http:
            async with streamable_http_client(SERVE.url, http_client=http) as (read, write, _):
                async with ClientSession(read, write, **kwargs) as session:
                    await session.initialize()
                    yield session
        return
    params = StdioServerParameters(command=ENGRAM, args=["mcp", "--repo", REPO, "--wait", "60", "--poll-interval", "50"])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, **kwargs) as session:
            await session.initialize()
            yield session


class Client:
    def __init__(self, session):
        self.s = session

    async def raw(self, name, args):
        return await self.s.call_tool(name, args)

    async def call(self, tool, /, **args):
        result = await self.raw(tool, args)
        text = result.content[0].text
        if result.isError:
            raise AssertionError(f"{tool}({args}) failed: {text}")
        return json.loads(text)

    async def error(self, name, args, *words):
        result = await self.raw(name, args)
        text = result.content[0].text
        check(result.isError, f"{name}({str(args)[:200]}) should fail, got {text[:300]}")
        for w in words:
            check(w in text, f"{name}: error {text[:300]!r} should name {w!r}")
        return text


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def page_all(c, name, **args):
    items, cursor, pages = [], None, 0
    while True:
        extra = {"cursor": cursor} if cursor else {}
        r = await c.call(name, **args, **extra)
        items += r["items"]
        pages += 1
        cursor = r.get("next_cursor")
        if not cursor:
            return items, pages


async def scenario_tools():
    nfc = unicodedata.normalize("NFC", "Zoë")
    nfd = unicodedata.normalize("NFD", "Zoë")
    check(nfc != nfd, "NFC and NFD spellings differ")
    async with server() as s:
        c = Client(s)
        names = {t.name for t in (await s.list_tools()).tools}
        expected = {"engram_remember", "engram_update", "engram_forget", "engram_get", "engram_neighbors", "engram_query",
                    "engram_schema", "engram_stats", "engram_log", "engram_show", "engram_diff", "engram_branch",
                    "engram_checkout", "engram_merge", "engram_revert", "engram_fetch", "engram_supersede",
                    "engram_recall"}
        check(expected <= names, f"missing tools: {expected - names}")
        for t in (await s.list_tools()).tools:
            check(t.inputSchema.get("type") == "object" and len(t.description) > 40, f"{t.name}: schema and description")

        check((await c.call("engram_schema"))["node_labels"] == [], "empty repository has no labels")
        r = await c.call("engram_remember", message="people", nodes=[
            {"ref": "a", "label": "Person", "key": "name", "props": {"name": "Alice", "age": 41, "note": "likes\u0000NUL"}},
            {"ref": "b", "label": "Person", "key": "name", "props": {"name": "Bob", "age": 29}},
            {"ref": "z1", "label": "Person", "key": "name", "props": {"name": nfc, "age": 7}},
            {"ref": "z2", "label": "Person", "key": "name", "props": {"name": nfd, "age": 8}},
            {"ref": "p", "label": "Project", "props": {"title": "Engram", "tags": ["memory", "graph"]}},
        ], edges=[{"src": "a", "label": "works_on", "dst": "p", "props": {"since": 2024}},
                  {"src": "a", "label": "knows", "dst": "b"}, {"src": "a", "label": "knows", "dst": "z1"}])
        check(r["status"] == "committed" and all(n["created"] for n in r["nodes"]), f"remember: {r}")
        ids = {n["ref"]: n["id"] for n in r["nodes"]}
        check(ids["z1"] != ids["z2"], "NFC and NFD names are two nodes")
        first_commit = r["commit"]
        # Find-or-create: the same key value reuses the node and patches it.
        r = await c.call("engram_remember", nodes=[{"label": "Person", "key": "name", "props": {"name": nfc, "city": "Oslo"}}])
        check(r["nodes"][0] == {"id": ids["z1"], "created": False}, f"find-or-create: {r}")
        g = await c.call("engram_get", ids=[ids["z1"], ids["a"]])
        zoe = g["nodes"][0]
        check(zoe["props"] == {"name": nfc, "age": 7, "city": "Oslo"}, f"patched node: {zoe}")
        check(g["nodes"][1]["props"]["note"] == "likes\u0000NUL", "NUL survives")

        # neighbors, paginated one at a time: the pages together are the whole list.
        items, pages = await page_all(c, "engram_neighbors", id=ids["a"], limit=1)
        check(pages == 3 and sorted((i["label"], i["node"]["id"]) for i in items)
              == sorted([("works_on", ids["p"]), ("knows", ids["b"]), ("knows", ids["z1"])]), f"neighbors: {items}")
        inbound = await c.call("engram_neighbors", id=ids["p"], direction="in")
        check([(i["label"], i["node"]["id"]) for i in inbound["items"]] == [("works_on", ids["a"])], f"in: {inbound}")

        q = await c.call("engram_query", label="Person")
        check(q["total"] == 4 and len(q["items"]) == 4, f"query label: {q}")
        q = await c.call("engram_query", label="Person", property="name", equals="Bob")
        check([n["id"] for n in q["items"]] == [ids["b"]] and q["total"] == 1, f"query equals: {q}")
        q = await c.call("engram_query", label="Person", property="age", **{"from": 8, "to": 41})
        check([n["props"]["name"] for n in q["items"]] == [nfd, "Bob"], f"query range: {q}")
        items, pages = await page_all(c, "engram_query", label="Person", max_bytes=256)
        check(pages >= 2 and len(items) == 4 and len({n["id"] for n in items}) == 4, f"byte budget pages: {pages}")

        sc = await c.call("engram_schema")
        person = next(l for l in sc["node_labels"] if l["label"] == "Person")
        check(person["count"] == 4 and {p["name"]: p["count"] for p in person["properties"]}
              == {"age": 4, "city": 1, "name": 4, "note": 1}, f"schema: {sc}")
        check(sc["edge_labels"] == [{"label": "knows", "count": 2}, {"label": "works_on", "count": 1}], f"edge labels: {sc}")
        st = await c.call("engram_stats")
        check(st["nodes"] == 5 and st["edges"] == 3 and st["head_branch"] == "main", f"stats: {st}")

        r = await c.call("engram_update", id=ids["b"], set={"age": 30, "city": "Bergen"}, message="bob moved")
        check(r["status"] == "committed" and r["kind"] == "node", f"update: {r}")
        bob_now = (await c.call("engram_get", ids=[ids["b"]]))["nodes"][0]["props"]
        bob_then = (await c.call("engram_get", ids=[ids["b"]], at="HEAD~1"))["nodes"][0]["props"]
        check(bob_now == {"name": "Bob", "age": 30, "city": "Bergen"} and bob_then == {"name": "Bob", "age": 29}, "as-of read")
        check((await c.call("engram_get", ids=[ids["b"]], at=first_commit))["nodes"][0]["props"]["age"] == 29, "at a CID")

        log = await c.call("engram_log")
        check([e["message"] for e in log["items"]] == ["bob moved", "remember", "people"], f"log: {log}")
        entries, pages = await page_all(c, "engram_log", limit=2)
        check(pages == 2 and [e["cid"] for e in entries] == [e["cid"] for e in log["items"]], "log pages")
        show = await c.call("engram_show", revision="HEAD")
        check(show["commit"]["message"] == "bob moved" and len(show["items"]) == 1, f"show: {show}")
        fields = {f["field"]: f for f in show["items"][0]["fields"]}
        check(fields["props.age"] == {"field": "props.age", "old": 29, "new": 30} and "old" not in fields["props.city"], f"fields: {fields}")
        d = await c.call("engram_diff", **{"from": first_commit, "to": "HEAD"})
        check(sorted(i["id"] for i in d["items"]) == sorted([ids["b"], ids["z1"]]), f"diff: {d}")
        d0 = await c.call("engram_diff", **{"from": first_commit, "to": first_commit})
        check(d0["items"] == [], "diff of a commit with itself")

        # Branches: a change on a branch is invisible on main until merged.
        r = await c.call("engram_branch", action="create", name="experiment")
        check(r["status"] == "created", f"branch: {r}")
        r = await c.call("engram_remember", branch="experiment", nodes=[{"label": "Idea", "props": {"text": "try graphs"}}])
        idea = r["nodes"][0]["id"]
        check((await c.call("engram_query", label="Idea"))["total"] == 0, "main does not see the branch")
        check((await c.call("engram_query", label="Idea", at="experiment"))["total"] == 1, "at a branch")
        bl = await c.call("engram_branch")
        check(sorted(b["name"] for b in bl["branches"]) == ["experiment", "main"], f"branch list: {bl}")
        m = await c.call("engram_merge", **{"from": "experiment"})
        check(m["status"] == "fast_forward", f"merge: {m}")
        check((await c.call("engram_query", label="Idea"))["total"] == 1, "merged")

        # A conflicting merge: both sides set Alice's mood.
        await c.call("engram_branch", action="create", name="other")
        await c.call("engram_update", id=ids["a"], set={"mood": "happy"})
        await c.call("engram_update", id=ids["a"], set={"mood": "sad"}, branch="other")
        head_before = (await c.call("engram_stats"))["head"]
        m = await c.call("engram_merge", **{"from": "other"})
        check(m["status"] == "conflict" and m["committed"] is False, f"conflict: {m}")
        check(len(m["conflicts"]) == 1, f"one conflict: {m}")
        conflict = m["conflicts"][0]
        check(conflict["entity"] == {"kind": "node", "id": ids["a"]} and conflict["type"] == "field"
              and conflict["field"] == "props.mood" and conflict["ours"] == "happy" and conflict["theirs"] == "sad"
              and "base" not in conflict, f"structured conflict: {conflict}")
        check((await c.call("engram_stats"))["head"] == head_before, "a failed merge changes nothing")
        m = await c.call("engram_merge", **{"from": "other", "strategy": "theirs"})
        check(m["status"] == "merged" and m["resolved"][0]["field"] == "props.mood", f"merge theirs: {m}")
        check((await c.call("engram_get", ids=[ids["a"]]))["nodes"][0]["props"]["mood"] == "sad", "their side won")

        # Revert the merge: Alice's mood goes back to ours.
        r = await c.call("engram_revert", revision="HEAD")
        check(r["status"] == "committed", f"revert: {r}")
        check((await c.call("engram_get", ids=[ids["a"]]))["nodes"][0]["props"]["mood"] == "happy", "reverted")

        # Forget: gone from the head, still in history.
        before = (await c.call("engram_stats"))["head"]
        r = await c.call("engram_forget", ids=[ids["b"]])
        check(r["removed"] == [{"id": ids["b"], "kind": "node"}], f"forget: {r}")
        await c.error("engram_get", {"ids": [ids["b"]]}, ids["b"], "no node or edge")
        check((await c.call("engram_get", ids=[ids["b"]], at=before))["nodes"][0]["props"]["name"] == "Bob", "history keeps it")
        check((await c.call("engram_neighbors", id=ids["a"], label="knows"))["items"][0]["node"]["id"] == ids["z1"], "edge gone")

        # Supersede: the old idea is closed at a time and replaced by a new fact valid from then.
        t = 1_700_000_000_000_000
        r = await c.call("engram_supersede", id=idea, time=t, **{"with": {"props": {"text": "try trees"}}})
        check(r["status"] == "committed" and r["valid_to"] == t, f"supersede: {r}")
        newer = r["replaced_by"]
        g = await c.call("engram_get", ids=[idea, newer])
        check(g["nodes"][0]["props"] == {"text": "try graphs", "valid_to": t}, f"closed: {g}")
        check(g["nodes"][1]["label"] == "Idea" and g["nodes"][1]["props"] == {"text": "try trees", "valid_from": t}, f"opened: {g}")

        # Recall: full text finds the open fact; the closed one only when validity is ignored.
        rc = await c.call("engram_recall", text="trees")
        check([i["node"]["id"] for i in rc["items"]] == [newer] and rc["items"][0]["reasons"][0]["lane"] == "text", f"recall: {rc}")
        rc = await c.call("engram_recall", text="graphs")
        check(idea not in [i["node"]["id"] for i in rc["items"]], f"closed fact left out: {rc}")
        rc = await c.call("engram_recall", text="graphs", all_validity=True, labels=["Idea"])
        check([i["node"]["id"] for i in rc["items"]] == [idea], f"closed fact on request: {rc}")
        rc = await c.call("engram_recall", text="Alice", expand_hops=1, expand_labels=["works_on"], budget_tokens=4000)
        got = {i["node"]["id"] for i in rc["items"]}
        check(ids["a"] in got and ids["p"] in got, f"recall expands along works_on: {rc}")
        rc = await c.call("engram_recall", text="graphs", all_validity=True, at=first_commit)
        check(rc["items"] == [], f"recall as of the first commit: {rc}")

        # Checkout moves HEAD for every tool.
        r = await c.call("engram_checkout", branch="other")
        check(r["head_branch"] == "other", f"checkout: {r}")
        check((await c.call("engram_query", label="Idea"))["total"] == 1, "reads follow HEAD (other has the merged idea only)")
        await c.call("engram_checkout", branch="main")
        r = await c.call("engram_branch", action="delete", name="other")
        check(r["status"] == "deleted", "delete branch")

        # A large value comes back by reference and is fetched in slices.
        big = "é" * 50_000 + "end"
        r = await c.call("engram_remember", nodes=[{"label": "Doc", "props": {"body": big, "title": "t"}}])
        doc = (await c.call("engram_get", ids=[r["nodes"][0]["id"]]))["nodes"][0]
        ref = doc["props"]["body"]["engram_large_value"]
        check(ref["property"] == "body" and doc["props"]["title"] == "t", f"reference: {doc}")
        text, offset, slices = "", 0, 0
        while offset is not None:
            f = await c.call("engram_fetch", cid=ref["cid"], property="body", offset=offset, max_bytes=4096)
            text += f["text"]
            offset = f.get("next_offset")
            slices += 1
        check(json.loads(text) == big and slices > 20, f"fetched {len(text)} bytes in {slices} slices")
        inline = await c.call("engram_get", ids=[r["nodes"][0]["id"]], max_value_bytes=1 << 20)
        check(inline["nodes"][0]["props"]["body"] == big, "inline on request")

        # Resources.
        uris = {str(r.uri).rstrip("/") for r in (await s.list_resources()).resources}
        check(uris == {"engram://head", "engram://refs"}, f"resources: {uris}")
        head = json.loads((await s.read_resource("engram://head")).contents[0].text)
        check(head["branch"] == "main" and head["commit"]["cid"] == (await c.call("engram_stats"))["head"], f"head: {head}")
        refs = json.loads((await s.read_resource("engram://refs")).contents[0].text)
        check(sorted(r["name"] for r in refs) == ["experiment", "main"], f"refs: {refs}")


async def scenario_bad():
    async with server() as s:
        c = Client(s)
        r = await c.call("engram_remember", nodes=[{"ref": "x", "label": "Thing", "props": {"n": 1}}])
        thing = r["nodes"][0]["id"]
        missing = str(uuid.uuid4())
        await c.error("engram_get", {"ids": "nope"}, "ids must be an array")
        await c.error("engram_get", {"ids": [42]}, "ids[0]", "UUID")
        await c.error("engram_get", {"ids": ["not-a-uuid"]}, "not-a-uuid", "not a node or edge id")
        await c.error("engram_get", {"ids": [missing]}, missing)
        await c.error("engram_get", {"ids": [thing], "at": "no-such-branch"}, "no-such-branch", "names no commit")
        await c.error("engram_get", {"ids": [thing], "at": "HEAD~999"}, "HEAD~999")
        await c.error("engram_get", {"ids": [thing], "at": "HEAD~x~"}, "names no commit")
        await c.error("engram_get", {"ids": [thing], "at": "\u0000\u00e9" * 600}, "revision")
        await c.error("engram_query", {"label": "Thing", "limit": "ten"}, "limit must be an integer")
        await c.error("engram_query", {"label": "Thing", "limit": -5}, "limit must be in")
        await c.error("engram_query", {"label": 7}, "label must be a string")
        await c.error("engram_query", {"label": "Thing", "cursor": "c1:garbage:5"}, "cursor")
        await c.error("engram_query", {"label": "Thing", "lable": "x"}, "unknown argument", "lable")
        await c.error("engram_nonexistent", {}, "unknown tool")
        await c.error("engram_remember", {"nodes": [{"label": "T", "props": "not an object"}]}, "nodes[0].props")
        await c.error("engram_remember", {"nodes": [{"props": {}}]}, "label is required")
        await c.error("engram_remember", {"edges": [{"src": "nobody", "label": "l", "dst": thing}]}, "edges[0].src", "nobody")
        await c.error("engram_remember", {"edges": [{"src": missing, "label": "l", "dst": thing}]}, missing)
        await c.error("engram_remember", {"nodes": [{"label": "T", "key": "k", "props": {}}]}, "key 'k'")
        deep = "x"
        for _ in range(100):
            deep = [deep]
        await c.error("engram_remember", {"nodes": [{"label": "T", "props": {"deep": deep}}]}, "deeper")
        await c.error("engram_remember", {"nodes": [{"label": "T", "props": {"huge": "x" * (17 << 20)}}]}, "block")
        await c.error("engram_update", {"id": missing, "set": {"a": 1}}, missing)
        await c.error("engram_forget", {"ids": [missing]}, missing, "nothing was deleted")
        await c.error("engram_merge", {"from": "nope"}, "nope")
        await c.error("engram_branch", {"action": "create", "name": "a..b"}, "invalid branch name")
        await c.error("engram_branch", {"action": "explode"}, "explode")
        await c.error("engram_checkout", {"branch": "ghost"}, "ghost")
        await c.error("engram_fetch", {"cid": "bafy-not-a-cid"}, "not a CID")
        await c.error("engram_diff", {"from": "HEAD", "to": "zzz"}, "zzz")
        await c.error("engram_show", {"revision": 5}, "revision must be a string")
        # Still serving, and nothing was committed by the failed calls.
        st = await c.call("engram_stats")
        check(st["nodes"] == 1 and st["edges"] == 0, f"after bad input: {st}")
        check(len((await c.call("engram_log"))["items"]) == 1, "one commit")


async def writer(tag, count):
    async with server(client_name=tag) as s:
        c = Client(s)
        for i in range(count):
            r = await c.call("engram_remember", message=f"{tag} {i}", nodes=[
                {"label": "Tick", "key": "name", "props": {"name": f"{tag}-{i}", "i": i}},
                {"label": "Shared", "key": "name", "props": {"name": "shared", f"{tag}_last": i}}])
            check(r["status"] == "committed", f"{tag} {i}: {r}")


def run(args, stdin=None, env=None):
    r = subprocess.run([ENGRAM] + args, input=stdin, capture_output=True, text=True, env=env)
    check(r.returncode == 0, f"engram {' '.join(args)}: {r.returncode} {r.stderr[-2000:]}")
    return r.stdout


PUSHES = 20


def pusher():
    """Another repository pushes PUSHES commits to branch 'side' of the served one, one by one."""
    local = tempfile.mkdtemp(prefix="engram-pusher-")
    env = dict(os.environ, ENGRAM_TOKEN=SERVE.token)
    run(["init", local])
    run(["-C", local, "remote", "add", "origin", SERVE.base])
    for i in range(PUSHES):
        run(["-C", local, "apply", "-m", f"pushed {i}"], stdin=json.dumps({"op": "put-node", "label": "Pushed", "props": {"i": i}}) + "\n")
        if i == 0:  # a branch needs a commit to start from
            run(["-C", local, "branch", "side"])
            run(["-C", local, "checkout", "side"])
        run(["-C", local, "push", "origin", "side"], env=env)


async def scenario_concurrent():
    async with server() as s:  # the shared node exists before the race (find-or-create is per process)
        await Client(s).call("engram_remember", nodes=[{"label": "Shared", "key": "name", "props": {"name": "shared"}}])
    if HTTP:  # two sessions of one server, and pushes to it meanwhile
        await asyncio.gather(writer("p1", 100), writer("p2", 100), asyncio.to_thread(pusher))
    else:
        await asyncio.gather(writer("p1", 100), writer("p2", 100))
    async with server() as s:
        c = Client(s)
        if HTTP:
            pushed = await page_all(c, "engram_query", label="Pushed", at="side")
            check(sorted(n["props"]["i"] for n in pushed[0]) == list(range(PUSHES)), f"every push arrived: {pushed[0]}")
        check((await c.call("engram_query", label="Tick"))["total"] == 200, "every tick committed")
        names = {n["props"]["name"] for n in (await page_all(c, "engram_query", label="Tick"))[0]}
        check(names == {f"p{p}-{i}" for p in (1, 2) for i in range(100)}, "every tick by name")
        shared = (await c.call("engram_query", label="Shared"))["items"]
        check(len(shared) == 1 and shared[0]["props"]["p1_last"] == 99 and shared[0]["props"]["p2_last"] == 99, f"shared: {shared}")
        commits, _ = await page_all(c, "engram_log", limit=1000, first_parent=True)
        check(len(commits) == 201, f"{len(commits)} commits")


async def scenario_notify():
    updates = asyncio.Queue()

    async def handler(message):
        if getattr(message, "root", None) is not None and getattr(message.root, "method", "") == "notifications/resources/updated":
            await updates.put(str(message.root.params.uri).rstrip("/"))

    async with server(message_handler=handler) as watcher:
        await watcher.subscribe_resource("engram://head")
        async with server() as other:
            await Client(other).call("engram_remember", nodes=[{"label": "News", "props": {"n": 1}}])
        uri = await asyncio.wait_for(updates.get(), timeout=30)
        check(uri in ("engram://head", "engram://refs"), f"notified: {uri}")
        head = json.loads((await watcher.read_resource("engram://head")).contents[0].text)
        check(head["commit"]["message"] == "remember", f"head after notification: {head}")


async def scenario_nowait():
    """`--wait 0` means no waiting: a write fails at once, naming the lock, while serve holds it."""
    serve = Serve()
    try:
        params = StdioServerParameters(command=ENGRAM, args=["mcp", "--repo", REPO, "--wait", "0"])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                c = Client(session)
                await c.error("engram_remember", {"nodes": [{"label": "T"}]}, "busy", "longer than 0 ms")
                check((await c.call("engram_stats"))["head"] is None, "nothing committed")
    finally:
        serve.stop()


async def scenario_http_errors():
    """Typed HTTP errors for requests that cannot be served; none of them ends the server."""
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}
    accept = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    async with httpx.AsyncClient(timeout=60) as h:
        for headers in ({}, SERVE.auth("wrong-token"), {"Authorization": "Basic " + SERVE.token}):
            r = await h.post(SERVE.url, json=init, headers={**accept, **headers})
            check(r.status_code == 401 and r.headers.get("www-authenticate") == "Bearer", f"no token: {r.status_code} {r.text}")
            check("Unauthorized" in r.json()["error"]["message"], f"401 body: {r.text}")
        r = await h.get(SERVE.url, headers={"Accept": "text/event-stream"})
        check(r.status_code == 401, f"GET without token: {r.status_code}")
        auth = {**accept, **SERVE.auth()}
        bad_bodies = ((b"{not json", -32700), (b"", -32700), (b"[1, 2]", -32700), ("\u00e9\u0000".encode(), -32700),
                      (b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}', -32600))
        for body, code in bad_bodies:
            r = await h.post(SERVE.url, content=body, headers=auth)
            check(r.status_code == 400 and r.json()["error"]["code"] == code, f"body {body!r}: {r.status_code} {r.text}")
        call = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
        r = await h.post(SERVE.url, json=call, headers=auth)
        check(r.status_code == 400 and "mcp-session-id" in r.json()["error"]["message"].lower(), f"no session: {r.status_code} {r.text}")
        r = await h.post(SERVE.url, json=call, headers={**auth, "Mcp-Session-Id": "no-such-session"})
        check(r.status_code == 404 and "no-such-session" in r.json()["error"]["message"], f"unknown session: {r.status_code} {r.text}")
        r = await h.put(SERVE.url, json=call, headers=auth)
        check(r.status_code in (404, 405), f"PUT: {r.status_code}")
        # The MCP client itself is refused without the token.
        try:
            async with httpx.AsyncClient(timeout=60) as bare:
                async with streamable_http_client(SERVE.url, http_client=bare) as (read, write, _):
                    async with ClientSession(read, write) as session:
                        await asyncio.wait_for(session.initialize(), 30)
            check(False, "initialize without a token succeeded")
        except AssertionError:
            raise
        except BaseException as e:  # the client reports the 401 through its task group
            check("401" in repr(e) or any("401" in repr(x) for x in getattr(e, "exceptions", ())), f"refused: {e!r}")
    # A session opened with the token works, and a session ended by DELETE is gone.
    async with httpx.AsyncClient(timeout=60, headers=SERVE.auth()) as http:
        async with streamable_http_client(SERVE.url, http_client=http) as (read, write, session_id):
            async with ClientSession(read, write) as session:
                await session.initialize()
                check((await Client(session).call("engram_stats"))["nodes"] == 0, "stats over http")
                ended = session_id()
                # Within a session, bad bodies get the transport's typed errors and the session lives on.
                for body in (b"{not json", b"", "\u00e9\u0000".encode()):
                    r = await http.post(SERVE.url, content=body, headers={**accept, "Mcp-Session-Id": ended})
                    check(r.status_code == 400 and r.json()["error"]["code"] == -32700, f"in-session body {body!r}: {r.status_code} {r.text}")
                check((await Client(session).call("engram_stats"))["nodes"] == 0, "the session still serves")
        r = await http.post(SERVE.url, json={"jsonrpc": "2.0", "id": 3, "method": "tools/list"}, headers={**accept, "Mcp-Session-Id": ended})
        check(r.status_code == 404, f"ended session: {r.status_code} {r.text}")


async def scenario_shutdown():
    """`engram serve` stops on SIGTERM while a client holds a session and its notification stream
    (a GET that lasts as long as the session) open."""
    log = SERVE.log.name
    exited = None
    try:
        async with server() as s:
            await s.subscribe_resource("engram://head")
            deadline = time.monotonic() + 30
            while "method=GET path=/mcp" not in open(log).read():  # the client opened its stream
                check(time.monotonic() < deadline, "the client opened no GET stream")
                await asyncio.sleep(0.05)
            SERVE.proc.terminate()
            try:
                exited = await asyncio.to_thread(SERVE.proc.wait, 60)
            except subprocess.TimeoutExpired:
                exited = None
    except BaseException as e:  # the client's own teardown fails once the server is gone
        if first_assertion(e):
            raise
    check(exited == 0, f"engram serve did not stop with a session open (exit {exited}): {open(log).read()[-1500:]}")


async def main():
    global SERVE
    # Which client drove the server: the PyPI package, not anything of this repository's.
    import importlib.metadata
    import mcp
    print(f"client mcp {importlib.metadata.version('mcp')} from {os.path.dirname(mcp.__file__)}")
    if HTTP:
        SERVE = Serve()
    try:
        await {"tools": scenario_tools, "bad": scenario_bad, "concurrent": scenario_concurrent, "notify": scenario_notify,
               "nowait": scenario_nowait, "http_errors": scenario_http_errors, "shutdown": scenario_shutdown}[SCENARIO]()
    finally:
        if SERVE:
            SERVE.stop()
    print(f"ok {SCENARIO}")


def first_assertion(error):
    if isinstance(error, AssertionError):
        return error
    for inner in getattr(error, "exceptions", ()):
        found = first_assertion(inner)
        if found:
            return found
    return None


try:
    asyncio.run(main())
except BaseException as e:  # the client's task groups wrap a failed check in exception groups
    failed = first_assertion(e)
    if failed is None:
        raise
    print(f"FAILED {SCENARIO}: {failed}")
    sys.exit(1)
