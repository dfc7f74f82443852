#!/usr/bin/env python3
"""Ranks a corpus with SQLite FTS5's bm25() (the independent implementation that
Tests/EngramTests/TextRankingComparisonTests.swift compares Engram's BM25 with, SPEC.md 7.11).

Input (argv[1], JSON): {"docs": [[rowid, text], ...], "queries": [[term, ...], ...]}.
Output (stdout, JSON): {"top": [[rowid, ...] for each query]}, the best 10 rowids by bm25()
(k1 = 1.2, b = 0.75), ties by rowid; each query is its terms joined by OR.
Exits 3 when this Python's sqlite3 lacks FTS5.
"""
import json
import sqlite3
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    db = sqlite3.connect(":memory:")
    try:
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')")
    except sqlite3.OperationalError as e:
        print(f"no FTS5: {e}", file=sys.stderr)
        sys.exit(3)
    db.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", data["docs"])
    top = []
    for terms in data["queries"]:
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs), rowid LIMIT 10", (match,))
        top.append([r[0] for r in rows])
    json.dump({"top": top}, sys.stdout)


if __name__ == "__main__":
    main()
