#!/usr/bin/env bash
# Installs the system dependencies, then builds and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
# The example package builds Engram again in its own .build: once, after the suite.
bash scripts/example.sh
