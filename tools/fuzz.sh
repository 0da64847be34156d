#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/; clang with AddressSanitizer and UBSan) into build-fuzz/
# and runs each for SECONDS (default 60), two at a time, starting from its committed seeds in
# fuzz/corpus/<target>/. New inputs go to build-fuzz/fuzz-runs/<target>/corpus, logs beside
# them; a crash, leak or timeout fails the script, its input saved as
# build-fuzz/fuzz-runs/<target>/crash-* (turn it into a fix plus a seed in fuzz/corpus/).
#
#   tools/fuzz.sh [SECONDS] [TARGET ...]        FUZZ_JOBS=N runs N at a time (default 2)
#
# The mutations follow FUZZ_SEED (default 1), so a run here repeats what CI runs (as far as the
# machine's speed lets it get in SECONDS); FUZZ_SEED=0 lets libFuzzer pick a new seed each run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
cxx=$(command -v clang++ || command -v clang++-14 || true)
[ -n "$cxx" ] || { echo "fuzz: clang++ not found (tools/install-deps.sh installs it)" >&2; exit 1; }

started=$SECONDS
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DTASCADE_FUZZ=ON >/dev/null
cmake --build build-fuzz --parallel "$(nproc)"
echo "fuzz: built in $((SECONDS - started)) s"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(http_request_fuzz operation_input_fuzz mcp_message_fuzz
                                      event_codec_fuzz checkpoint_fuzz planner_fuzz)

run() {
  local target=$1 dir=build-fuzz/fuzz-runs/$1
  rm -rf "$dir" && mkdir -p "$dir/corpus"
  local status=0
  "build-fuzz/fuzz/$target" -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -timeout=25 \
    -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" "fuzz/corpus/$target" \
    >"$dir/log" 2>&1 || status=$?
  echo "$status" >"$dir/status"
}

# The figures of one run: executions, executions per second, and the last coverage line.
report() {
  local log=build-fuzz/fuzz-runs/$1/log
  local runs rate cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  printf '%-22s %10s execs %8s/s  %s\n' "$1" "${runs:-?}" "${rate:-?}" "${cov:-?}"
}

fuzzed=$SECONDS
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "${FUZZ_JOBS:-2}" ]; do wait -n || true; done
  run "$target" &
done
wait
failed=()
for target in "${targets[@]}"; do
  [ "$(cat "build-fuzz/fuzz-runs/$target/status")" = 0 ] || failed+=("$target")
done
for target in "${targets[@]}"; do report "$target"; done
echo "fuzz: ran ${#targets[@]} targets for ${seconds} s each in $((SECONDS - fuzzed)) s"
for target in "${failed[@]}"; do
  echo "fuzz: $target FAILED; end of build-fuzz/fuzz-runs/$target/log:" >&2
  tail -n 40 "build-fuzz/fuzz-runs/$target/log" >&2
done
[ ${#failed[@]} -eq 0 ]
