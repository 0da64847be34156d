#!/usr/bin/env bash
# Records the normalised REST and MCP answers of a fixed scenario (see record-answers.py).
# Usage: tools/record-answers.sh OUTPUT [TASCADED]    (TASCADED defaults to build/tascaded)
# Compare two recordings with `diff -u before.txt after.txt`: a refactor must leave none.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 tools/record-answers.py "${2:-build/tascaded}" "$1"
