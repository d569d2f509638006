#!/usr/bin/env bash
# The session recommender's training and serving figures (docs/BENCHMARKS.md), in one run:
#   bench/run_recommender_bench.sh build/ferry build/bench/recommender_bench
# - data: `ferry data sessions` with 1M events over a 100k-item catalogue (EVENTS, ITEMS);
# - training: `ferry train recommender` end to end (CSV read, grouping, training, evaluation,
#   package) per method, wall seconds and peak RSS;
# - in process (recommender_bench scale): Model::Train seconds per method, and the latency of
#   one recommendation for sessions of 50 events beside the floor of one hash lookup per event
#   (interning the request's ids, which any implementation pays);
# - served: `ferry serve` of the sr and vsknn packages, OIP infer of one 50-event session, wrk at
#   c=1 (DURATION seconds, default 10, after 2 s of warm-up); the pop package is the peer: the
#   same request and response through the same server with almost no model work, i.e. the HTTP
#   and codec floor;
# - quality (recommender_bench quality): HR@1/5/10/20, MRR@20, coverage@20 of every method and
#   the planted oracle on 200k generated events over 2000 items, time split.
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry path/to/recommender_bench}")
BENCH=$(readlink -f "${2:?usage: $0 path/to/ferry path/to/recommender_bench}")
DURATION=${DURATION:-10}
EVENTS=${EVENTS:-1000000}
ITEMS=${ITEMS:-100000}
source "$(dirname "$0")/lib.sh"
bench_workdir recommender-bench

echo "==> data: $EVENTS events, $ITEMS items" >&2
"$FERRY" data sessions --events "$EVENTS" --items "$ITEMS" --seed 1 -o sessions.csv

echo "==> ferry train recommender (end to end)" >&2
printf '%-7s %8s %8s\n' method wall_s rss_mb
for m in sr vsknn iknn pop; do
  /usr/bin/time -f "%e %M" -o time.txt "$FERRY" train recommender --data sessions.csv \
    --no-tracking --param "method=$m" -o "rec_$m.oci" >"train_$m.log" 2>&1
  read -r wall rss <time.txt
  printf '%-7s %8s %8d\n' "$m" "$wall" "$((rss / 1024))"
done

echo "==> in process: Model::Train and one recommendation" >&2
"$BENCH" scale "events=$EVENTS" "items=$ITEMS" length=50 requests=20000

echo "==> served: OIP infer of one 50-event session at c=1" >&2
SESSION=$(awk -F, 'NR > 1001 && NR <= 1051 {printf "%s%s", (NR > 1002 ? " " : ""), $2}' sessions.csv)
printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.body=[==[%s]==]\n' \
  "{\"inputs\":[{\"name\":\"session\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"$SESSION\"]}]}" \
  >oip.lua
# Server CPU per request = (utime + stime of the server) / requests: what scheduling on a busy
# machine does not inflate.
printf '%-7s %9s %8s %8s %8s %12s\n' method requests p50 p99 max cpu_us_req
for m in pop sr vsknn; do
  "$FERRY" serve "rec_$m.oci" --port 0 --no-access-log >"serve_$m.out" 2>"serve_$m.log" &
  PIDS+=($!)
  for _ in $(seq 1 600); do grep -q "^Serving" "serve_$m.out" && break; sleep 0.05; done
  port=$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' "serve_$m.out")
  model=$(awk '/^Serving/ {print $2}' "serve_$m.out")
  url="http://127.0.0.1:$port/v2/models/$model/infer"
  wrk -t1 -c1 -d2s -s oip.lua "$url" >/dev/null
  t0=$(cpu_ticks "${PIDS[-1]}")
  wrk -t1 -c1 -d"${DURATION}s" --latency -s oip.lua "$url" >wrk.out
  t1=$(cpu_ticks "${PIDS[-1]}")
  reqs=$(awk '/requests in/ {print $1}' wrk.out)
  printf '%-7s %9s %8s %8s %8s %12s\n' "$m" "$reqs" \
    "$(awk '$1 == "50%" {print $2}' wrk.out)" "$(awk '$1 == "99%" {print $2}' wrk.out)" \
    "$(awk '/Latency/ && !/Distribution/ {print $4}' wrk.out)" \
    "$(awk -v t="$((t1 - t0))" -v r="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", t / hz * 1e6 / r}')"
  grep -q '"outputs"' <(curl -s -d @<(sed -n 's/^wrk.body=\[==\[\(.*\)\]==\]$/\1/p' oip.lua) "$url") ||
    { echo "no outputs from $m" >&2; exit 1; }
  kill "${PIDS[-1]}"
  wait "${PIDS[-1]}" 2>/dev/null || true
done

echo "==> quality on planted data (200k events, 2000 items, time split)" >&2
"$BENCH" quality
