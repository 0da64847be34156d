#!/usr/bin/env bash
# Installs what Tascade builds with, from Debian's packages. Safe to run again.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config curl ca-certificates procps
  libcaf-dev librocksdb-dev libboost1.81-dev libboost-json1.81-dev
  libspdlog-dev libgtest-dev libzstd-dev libssl-dev
  libyaml-dev libcmark-dev
  # The fuzz build (tools/fuzz.sh): clang, and its runtimes for libFuzzer and the sanitizers
  # (only recommended by clang, and recommendations are not installed here).
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The dashboard's end-to-end test drives Debian's chromium (never a downloaded browser).
if [ "${TASCADE_WITH_BROWSER:-0}" = 1 ] && ! command -v chromium >/dev/null; then
  missing+=(chromium)
fi
# Node.js and npm run the MCP client tests (the official MCP TypeScript SDK needs Node >= 18).
# A Node installed another way (e.g. NodeSource, which bundles npm) is used as it is.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo for apt-get" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 18 ]; then
  echo "install-deps: Node.js >= 18 is needed for the MCP client tests (found $(node -v 2>/dev/null || echo none))" >&2
  exit 1
fi
