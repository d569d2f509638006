#!/usr/bin/env bash
# Serving throughput and latency against this machine's HTTP limit and a Python peer, in one
# run (ratios survive a noisy shared machine; absolute numbers do not):
#   bench/run_serving_bench.sh build/ferry
# - nginx returning a constant 14-byte JSON body to the same POST (the HTTP limit here);
# - `ferry serve` with logistic regression on the 30 breast-cancer features, OIP infer of one
#   row (FP64 [1,30]), batching off (the default);
# - Flask + gunicorn (2 sync workers) + scikit-learn, MLflow's /invocations protocol (the
#   stand-in for `mlflow models serve`), the same row as dataframe_split;
# each with wrk at c=64 (2 threads) and c=1, DURATION seconds (default 10) after a 2 s
# warm-up. Server CPU per request = (utime + stime of the server's processes) / requests.
# Then: cold start of `ferry predict` (median of 30, exec to exit) and XGBoost with 300 trees served with
# batching off and on (rows/s at c=64). Needs: nginx-light, wrk, gunicorn, python3-flask,
# python3-sklearn, python3-pandas (scripts/install-deps.sh --bench installs them).
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
DURATION=${DURATION:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$ROOT/tests/data/breast_cancer.csv
source "$(dirname "$0")/lib.sh"
bench_workdir serving-bench


echo "==> models" >&2
"$FERRY" train logistic --data "$DATA" --target target --no-tracking -o lr.oci 2>/dev/null
"$FERRY" train xgboost --data "$DATA" --target target --no-tracking \
  --param n_estimators=300 -o xgb.oci 2>/dev/null
ROW=$(sed -n 2p "$DATA" | cut -d, -f1-30)
COLS=$(head -1 "$DATA" | cut -d, -f1-30 | sed 's/\([^,]*\)/"\1"/g')
OIP="{\"inputs\":[{\"name\":\"input\",\"shape\":[1,30],\"datatype\":\"FP64\",\"data\":[$ROW]}]}"
MLF="{\"dataframe_split\":{\"columns\":[$COLS],\"data\":[[$ROW]]}}"
lua() { printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.body=[==[%s]==]\n' "$1" >"$2"; }
lua "$OIP" oip.lua
lua "$MLF" mlflow.lua

# run NAME PID URL LUA: prints "NAME c64_rps c64_p50 c64_p99 cpu_us c1_rps c1_p50 c1_p99".
run() {
  local name=$1 pid=$2 url=$3 script=$4 t0 t1 reqs
  wrk -t2 -c64 -d2s -s "$script" "$url" >/dev/null
  t0=$(cpu_ticks "$pid")
  wrk -t2 -c64 -d"${DURATION}s" --latency -s "$script" "$url" >c64.out
  t1=$(cpu_ticks "$pid")
  reqs=$(awk '/requests in/ {print $1}' c64.out)
  wrk -t1 -c1 -d"${DURATION}s" --latency -s "$script" "$url" >c1.out
  grep -q "Non-2xx" c64.out c1.out && { echo "$name: non-2xx responses" >&2; cat c64.out >&2; exit 1; }
  local tick_us=$((1000000 / $(getconf CLK_TCK)))
  printf '%s %s %s %s %s %s %s %s\n' "$name" \
    "$(awk '/Requests\/sec/ {print $2}' c64.out)" "$(awk '$1=="50%" {print $2}' c64.out)" \
    "$(awk '$1=="99%" {print $2}' c64.out)" "$(((t1 - t0) * tick_us / reqs))" \
    "$(awk '/Requests\/sec/ {print $2}' c1.out)" "$(awk '$1=="50%" {print $2}' c1.out)" \
    "$(awk '$1=="99%" {print $2}' c1.out)"
}

echo "==> nginx" >&2
NPORT=$(free_port)
cat >nginx.conf <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK;
  server {
    listen 127.0.0.1:$NPORT reuseport;
    location / { default_type application/json; return 200 '{"outputs":[]}'; }
  }
}
EOF
nginx -c "$WORK/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
wait_http "http://127.0.0.1:$NPORT/"
run nginx "${PIDS[-1]}" "http://127.0.0.1:$NPORT/v2/models/m/infer" oip.lua >results.txt

echo "==> ferry serve" >&2
"$FERRY" serve lr.oci --port 0 --no-access-log >serve.out 2>serve.log &
PIDS+=($!)
for _ in $(seq 1 200); do grep -q "^Serving" serve.out && break; sleep 0.05; done
FPORT=$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve.out)
MODEL=$(awk '/^Serving/ {print $2}' serve.out)
run ferry "${PIDS[-1]}" "http://127.0.0.1:$FPORT/v2/models/$MODEL/infer" oip.lua >>results.txt
run ferry-invocations "${PIDS[-1]}" "http://127.0.0.1:$FPORT/invocations" mlflow.lua >>results.txt
kill "${PIDS[-1]}"

echo "==> Flask + gunicorn + scikit-learn" >&2
GPORT=$(free_port)
FERRY_BENCH_DATA=$DATA gunicorn -w 2 -b "127.0.0.1:$GPORT" --chdir "$ROOT/bench/peers" \
  sklearn_scoring:app 2>gunicorn.log &
PIDS+=($!)
wait_http "http://127.0.0.1:$GPORT/ping"
run flask-gunicorn "${PIDS[-1]}" "http://127.0.0.1:$GPORT/invocations" mlflow.lua >>results.txt

echo "==> ferry predict cold start" >&2
echo "$OIP" >row.json
# Timed from Python (a `date` process per sample would add its own start-up to every figure).
python3 - "$FERRY" >cold_us.txt <<'PY'
import statistics, subprocess, sys, time
body = open("row.json", "rb").read()
samples = []
for _ in range(30):
    start = time.perf_counter()
    subprocess.run([sys.argv[1], "predict", "lr.oci"], input=body, stdout=subprocess.DEVNULL,
                   check=True)
    samples.append((time.perf_counter() - start) * 1e6)
print(int(statistics.median(samples)))
PY

echo "==> XGBoost, 300 trees, batching off and on" >&2
xgb_rps() {
  "$FERRY" serve xgb.oci --port 0 --no-access-log "$@" >xserve.out 2>xserve.log &
  local pid=$!
  for _ in $(seq 1 200); do grep -q "^Serving" xserve.out && break; sleep 0.05; done
  local port model
  port=$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' xserve.out)
  model=$(awk '/^Serving/ {print $2}' xserve.out)
  wrk -t2 -c64 -d2s -s oip.lua "http://127.0.0.1:$port/v2/models/$model/infer" >/dev/null
  wrk -t2 -c64 -d"${DURATION}s" -s oip.lua "http://127.0.0.1:$port/v2/models/$model/infer" |
    awk '/Requests\/sec/ {print $2}'
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
XGB_OFF=$(xgb_rps)
XGB_ON=$(xgb_rps --max-batch-size 64 --max-queue-delay-us 200)

awk -v cold="$(cat cold_us.txt)" -v xoff="$XGB_OFF" -v xon="$XGB_ON" '
  { name[NR]=$1; rps[$1]=$2; line[NR]=$0 }
  END {
    print "| server | c=64 req/s | c=64 p50 | c=64 p99 | server CPU us/req | c=1 req/s | c=1 p50 | c=1 p99 |"
    print "|---|---|---|---|---|---|---|---|"
    for (i = 1; i <= NR; i++) { split(line[i], f, " "); printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8] }
    printf "\nferry / nginx at c=64: %.2f; ferry / flask-gunicorn: %.1fx; ferry invocations / nginx: %.2f\n", rps["ferry"] / rps["nginx"], rps["ferry"] / rps["flask-gunicorn"], rps["ferry-invocations"] / rps["nginx"]
    printf "ferry predict cold start (median of 30, wall): %.1f ms\n", cold / 1000
    printf "XGBoost 300 trees, 1 row per request, c=64: batching off %s rows/s, batching on (64, 200 us) %s rows/s\n", xoff, xon
  }' results.txt
