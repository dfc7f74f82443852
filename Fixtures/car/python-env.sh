#!/usr/bin/env bash
# Prints the path of a Python interpreter that has libipld (the independent CAR reader used by
# Tests/EngramCARTests/IndependentReaderTests.swift), making a virtual environment under
# .build/python-venv and installing libipld from PyPI the first time. Exits 3 when python3 is
# absent, so that the test can skip with a message; any other failure is an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v python3 >/dev/null 2>&1 || { echo "python3 not found" >&2; exit 3; }
venv=.build/python-venv
if ! "$venv/bin/python" -c 'import libipld' >/dev/null 2>&1; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'libipld>=3,<4' >&2
fi
echo "$PWD/$venv/bin/python"
