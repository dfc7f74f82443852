#!/usr/bin/env python3
"""Lists the public symbols of the named modules that have no documentation comment.

usage: undocumented.py SYMBOL_GRAPH_DIR MODULE...

Reads the symbol graphs `swift package dump-symbol-graph` writes (one MODULE.symbols.json per
module, plus MODULE@Other.symbols.json for extensions of other modules' types). A symbol counts
as documented when it has a doc comment of its own; members the compiler synthesizes and
implementations of standard protocol requirements (whose documentation DocC takes from the
protocol) are not listed. Exits 1 when something is listed.
"""
import json
import pathlib
import sys

# Witnesses of standard-library protocol requirements: DocC shows the protocol's documentation.
INHERITED = {
    "description", "debugDescription", "hash(into:)", "hashValue", "==(_:_:)", "<(_:_:)",
    "init(from:)", "encode(to:)", "init(dictionaryLiteral:)", "init(stringLiteral:)",
    "init(integerLiteral:)", "init(floatLiteral:)", "init(arrayLiteral:)", "init(booleanLiteral:)",
    "init(nilLiteral:)", "init(unicodeScalarLiteral:)", "init(extendedGraphemeClusterLiteral:)",
    "makeIterator()", "makeAsyncIterator()", "errorDescription", "rawValue", "init(rawValue:)",
    "allCases", "Element", "Iterator", "AsyncIterator", "Failure", "AllCases", "RawValue",
}


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    missing = []
    for module in sys.argv[2:]:
        files = [p for p in root.rglob(f"{module}.symbols.json")] + list(root.rglob(f"{module}@*.symbols.json"))
        if not files:
            print(f"undocumented: no symbol graph for {module} under {root}", file=sys.stderr)
            return 2
        for path in sorted(files):
            graph = json.loads(path.read_text())
            for symbol in graph.get("symbols", []):
                if symbol.get("accessLevel") not in ("public", "open"):
                    continue
                if "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
                    continue
                if symbol.get("docComment", {}).get("lines"):
                    continue
                components = symbol.get("pathComponents", [])
                if components and components[-1] in INHERITED:
                    continue
                location = symbol.get("location", {})
                where = location.get("uri", "").split("/Sources/")[-1]
                line = location.get("position", {}).get("line", -1) + 1
                missing.append(f"{module}: {'.'.join(components)} ({where}:{line})")
    for item in sorted(set(missing)):
        print(item)
    if missing:
        print(f"undocumented: {len(set(missing))} public symbols have no documentation comment", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
