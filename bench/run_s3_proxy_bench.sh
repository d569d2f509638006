#!/usr/bin/env bash
# The artifact proxy over a slow S3 bucket: s3rver behind bench/s3_slow_proxy.py, which holds
# every S3 request for DELAY_MS. While CLIENTS curl clients upload and then download SIZE_MB
# each through `ferry server --artifacts-destination s3://...`, a probe opens a new connection
# for GET /health every 20 ms (new connections spread over the event loops). S3 calls run on
# the artifact worker, so /health should never wait for S3; printed: transfer times and the
# probe's median and worst latency.
#   bench/run_s3_proxy_bench.sh build/ferry
# Knobs: CLIENTS=4 SIZE_MB=32 DELAY_MS=300.
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
BENCH=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/ferry-s3-bench-XXXXXX)
source "$BENCH/../scripts/lib/server.sh"
source "$BENCH/../scripts/lib/s3rver.sh"
CLIENTS=${CLIENTS:-4}
SIZE_MB=${SIZE_MB:-32}
DELAY_MS=${DELAY_MS:-300}
PROXY_PID=""
cleanup_bench() {
  [[ -n $PROXY_PID ]] && kill "$PROXY_PID" 2>/dev/null || true
  stop_s3rver
}
EXTRA_CLEANUP+=("cleanup_bench")
cd "$WORK"
start_s3rver "$WORK/s3" || fail "s3rver did not start"
upstream=${S3_ENDPOINT##*:}
proxy_port=$(free_tcp_ports 1)
python3 "$BENCH/s3_slow_proxy.py" "$proxy_port" "$upstream" "$DELAY_MS" >proxy.out 2>&1 &
PROXY_PID=$!
for _ in $(seq 1 100); do grep -q ready proxy.out && break; sleep 0.05; done
start_server_in "$WORK/data" --artifacts-destination "s3://$S3_BUCKET/bench" \
  --s3-endpoint-url "http://127.0.0.1:$proxy_port"

for i in $(seq 1 "$CLIENTS"); do head -c $((SIZE_MB << 20)) /dev/urandom >"f$i.bin"; done
ART="$URL/api/2.0/mlflow-artifacts/artifacts/0/bench/artifacts"
python3 - "$URL" >probe.txt <<'PY' &
import http.client, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
lat = []
end = time.time() + 3600
while time.time() < end:
    t = time.perf_counter()
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request("GET", "/health")
    c.getresponse().read()
    c.close()
    lat.append((time.perf_counter() - t) * 1000)
    try:
        open("stop-probe").close()
        break
    except OSError:
        time.sleep(0.02)
lat.sort()
print(f"{len(lat)} {lat[len(lat) // 2]:.1f} {lat[-1]:.1f}")
PY
PROBE_PID=$!
t0=$(date +%s.%N)
pids=()
for i in $(seq 1 "$CLIENTS"); do curl -fsS -T "f$i.bin" "$ART/f$i.bin" >/dev/null & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || fail "an upload failed"; done
t1=$(date +%s.%N)
pids=()
for i in $(seq 1 "$CLIENTS"); do curl -fsS -o "d$i.bin" "$ART/f$i.bin" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || fail "a download failed"; done
t2=$(date +%s.%N)
touch stop-probe
wait "$PROBE_PID"
for i in $(seq 1 "$CLIENTS"); do cmp -s "f$i.bin" "d$i.bin" || fail "f$i.bin came back different"; done
read -r probes median worst <probe.txt
awk -v c="$CLIENTS" -v s="$SIZE_MB" -v d="$DELAY_MS" -v t0="$t0" -v t1="$t1" -v t2="$t2" \
  -v n="$probes" -v med="$median" -v worst="$worst" 'BEGIN {
  printf "clients %d x %d MiB, S3 delay %d ms/request\n", c, s, d
  printf "upload   %.1f s (%.1f MB/s total)\n", t1 - t0, c * s * 1.048576 / (t1 - t0)
  printf "download %.1f s (%.1f MB/s total)\n", t2 - t1, c * s * 1.048576 / (t2 - t1)
  printf "/health during transfers: %d probes, median %.1f ms, worst %.1f ms\n", n, med, worst
}'
stop_server
