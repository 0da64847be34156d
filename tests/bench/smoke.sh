#!/usr/bin/env bash
# CI smoke run of one `tascade bench` tool: it must exit 0 and print its figures.
#   smoke.sh TASCADE TASCADED REGEX bench-name [args...]
# For `agents` a private tascaded is started on a free port first and stopped afterwards.
set -euo pipefail
tool=$1 server=$2 expect=$3
shift 3
work=$(mktemp -d /tmp/tascade-bench-smoke-XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
args=("$@")
if [ "$1" = agents ]; then
  "$server" --data "$work/data" --port 0 --auth-disabled --log-level info >"$work/server.log" 2>&1 &
  pid=$!
  port=
  for _ in $(seq 400); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/server.log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "tascaded did not start"; cat "$work/server.log"; exit 1; }
  args+=(--url "http://127.0.0.1:$port")
fi
out=$("$tool" bench "${args[@]}")
echo "$out"
grep -Eq "$expect" <<<"$out" || { echo "figures matching /$expect/ missing"; exit 1; }
