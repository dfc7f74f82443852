#!/usr/bin/env bash
# Installs the system libraries Engram links (libb2 for BLAKE2b, libzstd for block compression)
# and what the tests use beside Swift (python3 with venv: an independent CAR reader from PyPI)
# when they are missing. Debian/Ubuntu; runs apt-get as root or through sudo.
set -euo pipefail
needed=()
for pkg in libb2-dev libzstd-dev pkg-config python3 python3-venv; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
echo "installing ${needed[*]}" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
