#!/usr/bin/env bash
# What TLS costs `ferry server`, in one run on one machine: the same wrk load against a plain
# server and a --tls-cert one (a P-256 certificate made here), in alternating rounds.
#   bench/run_tls_bench.sh build/ferry
# Loads: health (GET /health, keep-alive: the per-request cost of the record layer), download
# (GET of a 1 MB artifact, keep-alive: bulk encryption against sendfile) and handshake
# (GET /health with Connection: close: a full TLS handshake per request).
# Knobs: CLIENTS=4 DURATION=5 ROUNDS=3.
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
WORK=$(mktemp -d /tmp/ferry-tls-bench-XXXXXX)
source "$(dirname "$0")/../scripts/lib/server.sh"
command -v wrk >/dev/null || fail "wrk is not installed (apt-get install wrk)"
CLIENTS=${CLIENTS:-4}
DURATION=${DURATION:-5}
cd "$WORK"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=IP:127.0.0.1" -keyout key.pem -out cert.pem 2>/dev/null

# A plain server and a TLS one, each with the same 1 MB artifact at $ARTIFACT.
start_server_in "$WORK/plain"
PLAIN_URL=$URL
PLAIN_PID=$SERVER_PID
"$FERRY" server --port 0 --quiet --backend-store-uri "sqlite:///$WORK/tls/ferry.db" \
  --artifacts-destination "file://$WORK/tls/artifacts" --tls-cert cert.pem --tls-key key.pem \
  >tls.out 2>tls.log &
TLS_PID=$!
ALL_SERVER_PIDS+=("$TLS_PID")
for _ in $(seq 1 200); do grep -q "listening on" tls.out && break; sleep 0.05; done
TLS_URL="https://127.0.0.1:$(sed -n 's/.*listening on https:\/\/[^:]*:\([0-9]*\).*/\1/p' tls.out)"
head -c 1000000 /dev/urandom >artifact.bin
ARTIFACT=/api/2.0/mlflow-artifacts/artifacts/0/bench/artifacts/artifact.bin
curl -fsS -T artifact.bin "$PLAIN_URL$ARTIFACT" >/dev/null
curl -fsS --cacert cert.pem -T artifact.bin "$TLS_URL$ARTIFACT" >/dev/null

# measure LOAD NAME URL PID: one wrk run; appends "LOAD NAME requests/s MB/s cpu_us/request".
measure() {
  local path=/health headers=() before after out rps mbs
  [[ $1 == download ]] && path=$ARTIFACT
  [[ $1 == handshake ]] && headers=(-H "Connection: close")
  before=$(awk '{print $14 + $15}' "/proc/$4/stat")
  out=$(wrk -t 2 -c "$CLIENTS" -d "${DURATION}s" "${headers[@]}" "$3$path")
  after=$(awk '{print $14 + $15}' "/proc/$4/stat")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  mbs=$(awk '/^Transfer\/sec/ {v = $2; if (v ~ /GB/) v *= 1024; else if (v ~ /KB/) v /= 1024; print v + 0}' <<<"$out")
  echo "$1 $2 $rps $mbs $(awk -v t=$((after - before)) -v r="$rps" -v d="$DURATION" \
    'BEGIN {printf "%.1f", t * 10000 / (r * d)}')" | tee -a results
}

: >results
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for load in health download handshake; do
    measure "$load" plain "$PLAIN_URL" "$PLAIN_PID"
    measure "$load" tls "$TLS_URL" "$TLS_PID"
  done
done

echo "== summary (medians over rounds; ratio = tls / plain)"
/usr/bin/python3 - results <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    load, name, rps, mbs, cpu = line.split()
    rows.setdefault((load, name), []).append((float(rps), float(mbs), float(cpu)))
print("| load | server | requests/s | MB/s | server CPU µs/request | requests/s tls/plain |")
print("|---|---|---|---|---|---|")
for load in ("health", "download", "handshake"):
    med = {n: [statistics.median(c) for c in zip(*rows[(load, n)])] for n in ("plain", "tls")}
    for n in ("plain", "tls"):
        ratio = f"{med['tls'][0] / med['plain'][0]:.2f}" if n == "tls" else ""
        print(f"| {load} | {n} | {med[n][0]:,.0f} | {med[n][1]:.1f} | {med[n][2]:.1f} | {ratio} |")
PY
