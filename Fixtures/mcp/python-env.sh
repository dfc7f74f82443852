#!/usr/bin/env bash
# Prints the path of a Python interpreter that has the `mcp` package (the independent MCP client
# Tests/EngramMCPTests drive `engram mcp` with), making a virtual environment under
# .build/python-venv-mcp and installing `mcp` from PyPI the first time. Exits 3 when python3 is
# absent, so that the test can skip with a message; any other failure is an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v python3 >/dev/null 2>&1 || { echo "python3 not found" >&2; exit 3; }
venv=.build/python-venv-mcp
if ! "$venv/bin/python" -c 'import importlib.metadata as m, sys, mcp.client.stdio; sys.exit(m.version("mcp")[:2] != "1.")' >/dev/null 2>&1; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'mcp>=1.20,<2' >&2
fi
echo "$PWD/$venv/bin/python"
