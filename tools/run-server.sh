#!/usr/bin/env bash
# Fresh machine to running server: install dependencies, build, start tascaded on its defaults
# (127.0.0.1:8010, data in ./data). Extra arguments go to tascaded (see tascaded --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh -DTASCADE_BUILD_TESTS=OFF
exec build/tascaded "$@"
