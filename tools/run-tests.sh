#!/usr/bin/env bash
# Fresh machine to a tested build: install dependencies, build with warnings as errors, run the
# whole GoogleTest suite and the MCP SDK client tests (Node) through ctest, build and install the
# .deb and read /health from the installed server (tools/package-check.sh), then fuzz every
# libFuzzer target for a minute (tools/fuzz.sh; a separate clang build in build-fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
# The dashboard's browser test drives Debian's chromium (installed here, not for run-server).
TASCADE_WITH_BROWSER=1 bash tools/install-deps.sh
bash tools/build.sh -DTASCADE_BUILD_TESTS=ON -DTASCADE_WERROR=ON
(cd build && ctest --output-on-failure --parallel 2 --timeout 300)
bash tools/package-check.sh
bash tools/fuzz.sh "${TASCADE_FUZZ_SECONDS:-60}"
