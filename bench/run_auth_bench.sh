#!/usr/bin/env bash
# What `ferry server --auth` costs per request, in one run on one machine: the same load
# against a server without auth (anonymous), and against one with --auth sending HTTP Basic
# credentials (scrypt-hashed password, verified once and then cached) and a Bearer token
# (SHA-256 lookup). Issue 15 asks that an authenticated request cost <= 5% more than an
# anonymous one; MLflow's basic-auth app measured 40-90x (mlflow#9684).
#   bench/run_auth_bench.sh build/ferry
# Modes: get (runs/get of one small run: the cheapest guarded request) and ingest
# (log-batch of 1000 metrics). Rounds alternate the three servers to spread the noise.
# Knobs: CLIENTS=4 DURATION=5 ROUNDS=3 BENCH_BIN_DIR=<dir of ferry>/bench.
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
LOAD=${BENCH_BIN_DIR:-$(dirname "$FERRY")/bench}/tracking_load
WORK=$(mktemp -d /tmp/ferry-auth-bench-XXXXXX)
source "$(dirname "$0")/../scripts/lib/server.sh"
[[ -x $LOAD ]] || fail "no tracking_load at $LOAD (ninja -C build tracking_load)"
CLIENTS=${CLIENTS:-4}
DURATION=${DURATION:-5}
export FERRY_ADMIN_PASSWORD=bench-admin-password

# A user and a token on an --auth server (its data stays for every round).
start_server_in "$WORK/auth" --auth
AUTH_URL=$URL
curl -fsS -u admin:$FERRY_ADMIN_PASSWORD -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password"}' "$URL/api/2.0/mlflow/users/create" >/dev/null
TOKEN=$(curl -fsS -u bench:bench-password -H 'Content-Type: application/json' \
  -d '{"name":"bench"}' "$URL/api/ferry/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
AUTH_PID=$SERVER_PID
start_server_in "$WORK/anonymous"
ANON_URL=$URL
ANON_PID=$SERVER_PID
BASIC="Basic $(printf bench:bench-password | base64 -w0)"

# measure MODE NAME URL PID [AUTHORIZATION]
measure() {
  local args=("$1" --url "$3" --server-pid "$4" --clients "$CLIENTS" --duration "$DURATION")
  [[ -n ${5:-} ]] && args+=(--authorization "$5")
  "$LOAD" "${args[@]}" | grep '^RESULT' | sed "s/^RESULT $1/RESULT $1 caller=$2/" | tee -a "$WORK/results"
}

: >"$WORK/results"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for mode in get ingest; do
    measure "$mode" anonymous "$ANON_URL" "$ANON_PID"
    measure "$mode" basic "$AUTH_URL" "$AUTH_PID" "$BASIC"
    measure "$mode" bearer "$AUTH_URL" "$AUTH_PID" "Bearer $TOKEN"
  done
done

echo "== summary (medians over rounds; ratio = caller / anonymous)"
for mode in get ingest; do
  for caller in anonymous basic bearer; do
    grep "^RESULT $mode caller=$caller " "$WORK/results" |
      sed -n 's/.*requests_per_s=\([^ ]*\).*server_cpu_us_per_request=\([^ ]*\).*/\1 \2/p' |
      sort -n | awk -v m="$mode" -v c="$caller" '{ r[NR] = $1; cpu[NR] = $2 }
        END { n = asort(cpu); i = int((NR + 1) / 2); printf "%s %s %s %s\n", m, c, r[i], cpu[i] }'
  done
done | awk '$2 == "anonymous" { base_r[$1] = $3; base_c[$1] = $4 }
  { printf "RESULT %s caller=%s requests_per_s=%.0f server_cpu_us_per_request=%.1f", $1, $2, $3, $4
    if ($2 != "anonymous") printf " throughput_ratio=%.3f cpu_ratio=%.3f", $3 / base_r[$1], $4 / base_c[$1]
    printf "\n" }'
