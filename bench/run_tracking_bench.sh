#!/usr/bin/env bash
# Runs Ferry's tracking benchmarks against an already built binary (builds nothing):
#   bench/run_tracking_bench.sh build-bench/ferry
# For each mode (ingest, search, history) a fresh `ferry server` on its own temp data dir and
# a free port, the load generator (tracking_load), then SIGTERM by PID. The load generator
# samples the server's utime+stime from /proc/PID/stat around its timed phase, so CPU per
# request/metric is reported too (it is far less noisy than wall-clock throughput). Then the
# SQLite "physical limit" kernel (ratio Ferry-over-HTTP / raw SQLite) and the JSON kernels.
#
# Knobs (environment): CLIENTS=4 DURATION=10 SEARCH_RUNS=10000 SEARCH_REPEATS=200
# HISTORY_POINTS=100000 HISTORY_REPEATS=30 SERVER_FLAGS="" (extra `ferry server` flags)
# BENCH_BIN_DIR=<dir of ferry>/bench MODES="ingest search history" KERNELS=1.
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
BIN_DIR=${BENCH_BIN_DIR:-$(dirname "$FERRY")/bench}
LOAD=$BIN_DIR/tracking_load
MODES=${MODES:-ingest search history}
WORK=$(mktemp -d /tmp/ferry-bench-XXXXXX)
source "$(dirname "$0")/../scripts/lib/server.sh"

[[ -x $FERRY ]] || fail "no ferry binary at $FERRY"
[[ -x $LOAD ]] || fail "no tracking_load at $LOAD (build the bench/ targets)"

# start_server NAME: a fresh server with its data in $WORK/NAME.
# shellcheck disable=SC2086
start_server() { start_server_in "$WORK/$1" ${SERVER_FLAGS:-}; }

# run_mode MODE [tracking_load flags...]
run_mode() {
  local mode=$1
  shift
  echo "== $mode"
  start_server "$mode"
  "$LOAD" "$mode" --url "$URL" --server-pid "$SERVER_PID" "$@" | tee "$WORK/$mode.out" ||
    fail "tracking_load $mode failed"
  stop_server
  grep '^RESULT' "$WORK/$mode.out" >>"$WORK/results"
}

# field KEY FILE: the value of KEY=... in the RESULT line of FILE.
field() { sed -n "s/^RESULT.* $1=\([^ ]*\).*/\1/p" "$2" | head -1; }

# bench_field NAME FIELD FILE: FIELD (e.g. items_per_second) of the Google Benchmark named
# exactly NAME in JSON output FILE.
bench_field() {
  awk -v want="\"$1\"," -v field="\"$2\":" '/"name":/ { name = $2 }
    $1 == field && name == want { gsub(",", "", $2); print $2; exit }' "$3"
}

: >"$WORK/results"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "ferry: $FERRY ($("$FERRY" --version 2>/dev/null || echo unknown version))"
for mode in $MODES; do
  case $mode in
    ingest) run_mode ingest --clients "${CLIENTS:-4}" --duration "${DURATION:-10}" ;;
    search) run_mode search --runs "${SEARCH_RUNS:-10000}" --repeats "${SEARCH_REPEATS:-200}" ;;
    history)
      run_mode history --points "${HISTORY_POINTS:-100000}" --repeats "${HISTORY_REPEATS:-30}"
      ;;
    *) fail "unknown mode $mode" ;;
  esac
done

if [[ ${KERNELS:-1} == 1 && -x $BIN_DIR/sqlite_ingest_bench ]]; then
  echo "== sqlite_ingest_bench (raw SQLite, same rows and statements, no HTTP/JSON)"
  TMPDIR=$WORK "$BIN_DIR/sqlite_ingest_bench" --benchmark_out="$WORK/sqlite.json" \
    --benchmark_out_format=json
  base=BM_SqliteIngest/foreign_keys:0/min_time:2.000/real_time
  raw=$(bench_field "$base" items_per_second "$WORK/sqlite.json")
  raw_cpu_ns=$(bench_field "$base" cpu_time "$WORK/sqlite.json")  # per 1000-row transaction
  raw_fk=$(bench_field "${base/keys:0/keys:1}" items_per_second "$WORK/sqlite.json")
  awk -v r="$raw" -v c="$raw_cpu_ns" -v f="$raw_fk" 'BEGIN {
    printf "RESULT sqlite_ingest rows_per_s=%d cpu_us_per_row=%.3f rows_per_s_foreign_keys=%d\n",
      r, c / 1e6, f }' | tee -a "$WORK/results"
  if [[ -f $WORK/ingest.out ]]; then
    ferry_rate=$(field metrics_per_s "$WORK/ingest.out")
    ferry_cpu=$(field server_cpu_us_per_metric "$WORK/ingest.out")
    awk -v f="$ferry_rate" -v r="$raw" -v fc="$ferry_cpu" -v c="$raw_cpu_ns" 'BEGIN {
      printf "RESULT ingest_vs_sqlite throughput_ratio=%.3f cpu_per_metric_ratio=%.2f\n",
        f / r, fc / (c / 1e6) }' | tee -a "$WORK/results"
  fi
fi
if [[ ${KERNELS:-1} == 1 && -x $BIN_DIR/json_bench ]]; then
  echo "== json_bench"
  "$BIN_DIR/json_bench" --benchmark_min_time=0.5
fi

echo "== summary"
cat "$WORK/results"
