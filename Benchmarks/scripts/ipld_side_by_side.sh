#!/usr/bin/env bash
# Engram's IPLD benchmarks and the Python peers (libipld, cbrrr) on the same corpus, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv >/dev/null 2>&1 || true
.venv/bin/pip install -q libipld cbrrr
swift build -c release --product ipld-corpus >/dev/null
corpus=$(mktemp)
trap 'rm -f "$corpus"' EXIT
.build/release/ipld-corpus > "$corpus"
echo "== Python peers"
.venv/bin/python scripts/ipld_peers.py "$corpus"
echo "== Engram (ordo-one/benchmark)"
swift package --disable-sandbox benchmark --target IPLDBenchmarks --no-progress --format markdown
