#!/usr/bin/env bash
# Fresh machine to running server: install dependencies, build, start tascaded on its defaults
# (127.0.0.1:8010, data in ./data). Extra arguments go to tascaded (see tascaded --help).
# The build also runs `npm ci && npm run build` in web/ and puts the dashboard in build/web,
# which tascaded serves at http://127.0.0.1:8010/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
bash tools/build.sh -DTASCADE_BUILD_TESTS=OFF
exec build/tascaded "$@"
