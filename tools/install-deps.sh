#!/usr/bin/env bash
# Installs what Tascade builds with, from Debian's packages. Safe to run again.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config curl ca-certificates
  libcaf-dev librocksdb-dev libboost1.81-dev libboost-json1.81-dev
  libspdlog-dev libgtest-dev libzstd-dev libssl-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo for apt-get" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
