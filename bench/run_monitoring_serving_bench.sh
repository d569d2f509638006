#!/usr/bin/env bash
# The cost of live monitoring on serving throughput, in one run:
#   bench/run_monitoring_serving_bench.sh build/ferry
# `ferry serve` of logistic regression on the 30 breast-cancer features, packaged with the
# data as reference profile (`ferry package build --reference-data`), OIP infer of one row
# (FP64 [1,30]), batching off, wrk at c=64 (2 threads) for DURATION seconds (default 10) after
# a 2 s warm-up, with --monitor off and --monitor on (--monitor-sample-rate 1, windows of 1000
# rows), alternated ROUNDS times (default 3) so that a noisy shared machine hits both alike.
# Prints requests/s per run, the medians and on/off; also the rows monitored and the records
# dropped (queue full) from /metrics, so a cost hidden by dropping shows. Needs wrk.
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$ROOT/tests/data/breast_cancer.csv
source "$(dirname "$0")/lib.sh"
bench_workdir monitoring-serving-bench

echo "==> model with a reference profile" >&2
"$FERRY" train logistic --data "$DATA" --target target --no-tracking -o lr.oci 2>/dev/null
"$FERRY" package unpack lr.oci -o lr >/dev/null
"$FERRY" package build lr --name bc --version 1 --reference-data "$DATA" -o ref.oci >/dev/null 2>&1
ROW=$(sed -n 2p "$DATA" | cut -d, -f1-30)
OIP="{\"inputs\":[{\"name\":\"input\",\"shape\":[1,30],\"datatype\":\"FP64\",\"data\":[$ROW]}]}"
printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.body=[==[%s]==]\n' \
  "$OIP" >oip.lua

# serve MODE: starts `ferry serve` with --monitor MODE, runs wrk, prints "MODE rps rows dropped".
serve() {
  local mode=$1 port url
  "$FERRY" serve ref.oci --port 0 --no-access-log --monitor "$mode" --monitor-sample-rate 1 \
    --monitor-window-rows 1000 >serve.out 2>serve.log &
  PIDS+=($!)
  for _ in $(seq 1 600); do grep -q "^Serving" serve.out && break; sleep 0.05; done
  grep -q "^Serving" serve.out || { echo "serve did not start" >&2; cat serve.log >&2; exit 1; }
  port=$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve.out)
  url="http://127.0.0.1:$port"
  wrk -t2 -c64 -d2s -s oip.lua "$url/v2/models/bc/infer" >/dev/null
  wrk -t2 -c64 -d"${DURATION}s" -s oip.lua "$url/v2/models/bc/infer" >wrk.out
  grep -q "Non-2xx" wrk.out && { echo "non-2xx responses" >&2; cat wrk.out >&2; exit 1; }
  sleep 1
  curl -fsS "$url/metrics" >metrics.txt
  printf '%s %s %s %s\n' "$mode" "$(awk '/Requests\/sec/ {print $2}' wrk.out)" \
    "$(awk '/^ferry_monitoring_rows_total/ {print $2}' metrics.txt)" \
    "$(awk '/^ferry_monitoring_records_dropped_total/ {print $2}' metrics.txt)"
  kill "${PIDS[-1]}"
  wait "${PIDS[-1]}" 2>/dev/null || true
  unset 'PIDS[-1]'
}

for r in $(seq 1 "$ROUNDS"); do
  echo "==> round $r" >&2
  serve off | tee -a results.txt >&2
  serve on | tee -a results.txt >&2
done
cat results.txt
python3 - <<'PY'
import statistics
runs = [l.split() for l in open("results.txt")]
med = {m: statistics.median(float(r[1]) for r in runs if r[0] == m) for m in ("off", "on")}
ratios = sorted(float(b[1]) / float(a[1]) for a, b in zip(runs[0::2], runs[1::2]))
print(f"median rps: off {med['off']:.0f}, on {med['on']:.0f}; on/off {med['on'] / med['off']:.3f}; "
      f"median of the rounds' on/off {statistics.median(ratios):.3f} "
      f"(range {ratios[0]:.2f}-{ratios[-1]:.2f})")
PY
