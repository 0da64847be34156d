#!/usr/bin/env bash
# The one benchmark command (see BENCHMARKS.md). Measures, in one run on this machine:
#   - the HTTP ceiling: a private nginx answering a fixed 200-byte JSON (`return 200`), loaded
#     by wrk with the same connection count and one thread, like the agents bench;
#   - tascade bench agents (heartbeat-only and full lifecycle) against a fresh tascaded;
#   - tascade bench log --baseline (the log writer against a plain synced RocksDB loop);
#   - tascade bench replay (1 000 000 events: verify, rebuild, cold start);
#   - tascade bench scale (1 000 / 10 000 / 100 000 tasks);
#   - tascade bench metrics (the summary on 100 000 tasks; the metrics projection's rebuild cost);
# then prints the tables with ratios. Raw JSON goes to $OUT (default build/bench-results).
# Settings (environment): DURATION=10 CONNS=64 EVENTS=1000000 SCALE_TASKS=1000,10000,100000
#   TASCADED=path/to/tascaded OUT=dir
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
EVENTS=${EVENTS:-1000000}
SCALE_TASKS=${SCALE_TASKS:-1000,10000,100000}
OUT=${OUT:-build/bench-results}
TASCADED=${TASCADED:-build/tascaded}  # another server binary, e.g. an older build to compare

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x build/tascade ] && [ -x build/tascaded ] || bash tools/build.sh -DTASCADE_BUILD_TESTS=OFF
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/tascade-bench-sh-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  for p in $(seq 18080 18999); do
    if ! (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port" >&2; exit 1
}

# ---- the HTTP ceiling ---------------------------------------------------------------------------
BODY=$(python3 -c 'import json;b={"ok":True,"task_id":"00000000-0000-4000-8000-000000000000","lease_expires_at":"2026-01-01T00:00:00.000000Z","plan_version":1,"stale":False,"stale_action":None};s=json.dumps(b,separators=(",",":"));s=s[:-1]+",\"pad\":\""+"x"*(200-len(s)-9)+"\"}";print(s)')
[ ${#BODY} -eq 200 ] || { echo "ceiling body is ${#BODY} bytes, not 200" >&2; exit 1; }
NPORT=$(free_port)
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NPORT;
    location / { default_type application/json; return 200 '$BODY'; }
  }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$NPORT") 2>/dev/null && break; sleep 0.05; done
echo "== HTTP ceiling: nginx return 200 (200-byte JSON), wrk -t1 -c$CONNS -d${DURATION}s" >&2
wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$NPORT/" >"$OUT/wrk.txt"
NGINX_RPS=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
kill "${PIDS[0]}" 2>/dev/null || true

# ---- tascade over HTTP --------------------------------------------------------------------------
start_server() {  # $1: data dir; prints the port
  "$TASCADED" --data "$1" --port 0 --auth-disabled --log-level info >"$1.log" 2>&1 &
  echo $! >"$1.pid"
  for _ in $(seq 600); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$1.log" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.05
  done
  echo "tascaded did not start" >&2; cat "$1.log" >&2; exit 1
}
echo "== tascade bench agents --mode heartbeat --agents $CONNS" >&2
PORT=$(start_server "$WORK/hb"); PIDS+=($(cat "$WORK/hb.pid"))
build/tascade bench agents --url "http://127.0.0.1:$PORT" --agents "$CONNS" --duration "$DURATION" \
  --mode heartbeat --tasks "$CONNS" --deps 0 | tee "$OUT/agents-heartbeat.txt" >&2
kill "${PIDS[-1]}"
echo "== tascade bench agents --mode lifecycle --agents $CONNS" >&2
PORT=$(start_server "$WORK/lc"); PIDS+=($(cat "$WORK/lc.pid"))
build/tascade bench agents --url "http://127.0.0.1:$PORT" --agents "$CONNS" --duration "$DURATION" \
  --mode lifecycle --tasks 20000 | tee "$OUT/agents-lifecycle.txt" >&2
kill "${PIDS[-1]}"

# ---- storage, replay, scale ---------------------------------------------------------------------
echo "== tascade bench log --baseline" >&2
build/tascade bench log --writers 1,8,64 --duration 5 --baseline | tee "$OUT/log.txt" >&2
echo "== tascade bench replay --events $EVENTS" >&2
build/tascade bench replay --events "$EVENTS" --server "$TASCADED" | tee "$OUT/replay.txt" >&2
echo "== tascade bench scale --tasks $SCALE_TASKS" >&2
build/tascade bench scale --tasks "$SCALE_TASKS" --server "$TASCADED" | tee "$OUT/scale.txt" >&2
echo "== tascade bench metrics --tasks 100000" >&2
build/tascade bench metrics --tasks 100000 --rounds 3 | tee "$OUT/metrics.txt" >&2

# ---- the tables ---------------------------------------------------------------------------------
python3 - "$OUT" "$NGINX_RPS" "$CONNS" <<'PY'
import json, sys
out, nginx, conns = sys.argv[1], float(sys.argv[2]), sys.argv[3]
def last_json(name):
    return json.loads(open(f"{out}/{name}").read().strip().splitlines()[-1])
hb, lc = last_json("agents-heartbeat.txt"), last_json("agents-lifecycle.txt")
print(f"\n## HTTP at {conns} connections (nginx ceiling {nginx:,.0f} req/s)\n")
print("| run | operation | req/s | of nginx | p50 µs | p99 µs | max µs |")
print("|---|---|---:|---:|---:|---:|---:|")
for run, data in (("heartbeat-only", hb), ("lifecycle", lc)):
    for op, f in data["ops"].items():
        print(f"| {run} | {op} | {f['per_second']:,.0f} | {f['per_second']/nginx:.0%} | "
              f"{f['p50_us']} | {f['p99_us']} | {f['max_us']} |")
    print(f"| {run} | all requests | {data['requests_per_second']:,.0f} | "
          f"{data['requests_per_second']/nginx:.0%} | | | |")
print(f"\ninvariants: heartbeat run {'ok' if hb['invariants_ok'] else 'VIOLATED'}, "
      f"lifecycle run {'ok' if lc['invariants_ok'] else 'VIOLATED'} "
      f"({lc['timelines_checked']} server timelines checked, {lc['integrated']} integrated)")
log = last_json("log.txt")
print("\n## Log writer (group commit) vs plain RocksDB synced WriteBatch\n")
print("| writers | events/s | mean batch | p50 µs | p99 µs | plain RocksDB events/s | ratio |")
print("|---:|---:|---:|---:|---:|---:|---:|")
for r in log["runs"]:
    print(f"| {r['writers']} | {r['events_per_second']:,.0f} | {r['mean_batch']:.1f} | "
          f"{r['p50_us']} | {r['p99_us']} | {r.get('rocksdb_events_per_second',0):,.0f} | "
          f"{r.get('ratio',0):.2f} |")
rp = last_json("replay.txt")
print(f"\n## Replay ({rp['events']:,} events)\n")
print("| measure | figure |\n|---|---:|")
print(f"| replay verify | {rp['verify_events_per_second']:,.0f} events/s |")
print(f"| projection rebuild | {rp['rebuild_events_per_second']:,.0f} events/s |")
if "cold_start_health_seconds" in rp:
    print(f"| cold start: /health answers | {rp['cold_start_health_seconds']:.2f} s |")
    print(f"| cold start: first ready query served | {rp['cold_start_first_ready_seconds']:.2f} s |")
sc = last_json("scale.txt")
print("\n## Scale (one keep-alive client, loopback; server-side p50/p99 from Server-Timing, client-side in brackets)\n")
print("| tasks | ready p50/p99 µs | claim-next p50/p99 µs | transition p50/p99 µs | graph p50/p99 µs | start s | B/task loaded | B/task after |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in sc["runs"]:
    ops = {o["op"]: o for o in r["ops"]}
    cell = lambda n: (f"{ops[n].get('server_p50_us', 0)} / {ops[n].get('server_p99_us', 0)} "
                      f"({ops[n]['p50_us']} / {ops[n]['p99_us']})")
    print(f"| {r['tasks']:,} | {cell('ready')} | {cell('claim_next')} | {cell('transition')} | "
          f"{cell('graph')} | {r['start_seconds']:.2f} | {r['bytes_per_task_loaded']:,.0f} | "
          f"{r['bytes_per_task_after']:,.0f} |")
mt = last_json("metrics.txt")
print(f"\n## Metrics ({mt['tasks']:,} tasks, {mt['events']:,} events)\n")
print("| measure | without metrics | with metrics | cost |\n|---|---:|---:|---:|")
print(f"| projection rebuild, events/s | {mt['rebuild_events_per_second_without_metrics']:,.0f} | "
      f"{mt['rebuild_events_per_second_with_metrics']:,.0f} | {mt['metrics_rebuild_cost_share']:.1%} |")
print(f"| projection rebuild, CPU µs/event | {mt['rebuild_cpu_us_per_event_without_metrics']:.2f} | "
      f"{mt['rebuild_cpu_us_per_event_with_metrics']:.2f} | {mt['metrics_rebuild_cpu_cost_share']:.1%} |")
print(f"\nGET /v1/metrics/summary server-side: p50 {mt['summary_p50_us']:.1f} µs, "
      f"p99 {mt['summary_p99_us']:.1f} µs")
PY
