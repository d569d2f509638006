#!/usr/bin/env bash
# What `ferry server --auth` costs per request, in one run on one machine: the same load
# against a server without auth (anonymous), and against one with --auth sending HTTP Basic
# credentials (scrypt-hashed password, verified once and then cached) and a Bearer token
# (SHA-256 lookup). Issue 15 asks that an authenticated request cost <= 5% more than an
# anonymous one; MLflow's basic-auth app measured 40-90x (mlflow#9684).
#   bench/run_auth_bench.sh build/ferry
# Modes: get (runs/get of one small run: the cheapest guarded request) and ingest
# (log-batch of 1000 metrics). Rounds alternate the three servers to spread the noise.
# Knobs: CLIENTS=4 DURATION=5 ROUNDS=3 BENCH_BIN_DIR=<dir of ferry>/bench; WORKSPACES=1 starts
# both servers with --enable-workspaces and gives the user a role in `default` (the role
# lookup of every check then finds one).
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
LOAD=${BENCH_BIN_DIR:-$(dirname "$FERRY")/bench}/tracking_load
WORK=$(mktemp -d /tmp/ferry-auth-bench-XXXXXX)
source "$(dirname "$0")/../scripts/lib/server.sh"
[[ -x $LOAD ]] || fail "no tracking_load at $LOAD (ninja -C build tracking_load)"
CLIENTS=${CLIENTS:-4}
DURATION=${DURATION:-5}
export FERRY_ADMIN_PASSWORD=bench-admin-password
FLAGS=()
[[ ${WORKSPACES:-0} == 1 ]] && FLAGS+=(--enable-workspaces)

# A user and a token on an --auth server (its data stays for every round).
start_server_in "$WORK/auth" --auth "${FLAGS[@]}"
AUTH_URL=$URL
curl -fsS -u admin:$FERRY_ADMIN_PASSWORD -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password"}' "$URL/api/2.0/mlflow/users/create" >/dev/null
TOKEN=$(curl -fsS -u bench:bench-password -H 'Content-Type: application/json' \
  -d '{"name":"bench"}' "$URL/api/ferry/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
if [[ ${WORKSPACES:-0} == 1 ]]; then
  curl -fsS -u admin:$FERRY_ADMIN_PASSWORD -X PUT -H 'Content-Type: application/json' \
    -d '{"principal":"bench","kind":"user","role":"editor"}' \
    "$URL/api/ferry/v1/workspaces/default/members" >/dev/null
fi
AUTH_PID=$SERVER_PID
start_server_in "$WORK/anonymous" "${FLAGS[@]}"
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
/usr/bin/python3 - "$WORK/results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    kv = dict(x.split("=", 1) for x in f[2:])
    key = (f[1], kv["caller"])
    rows.setdefault(key, []).append((float(kv["requests_per_s"]), float(kv["server_cpu_us_per_request"])))
for mode in ("get", "ingest"):
    base = None
    for caller in ("anonymous", "basic", "bearer"):
        got = rows.get((mode, caller))
        if not got:
            continue
        rate = statistics.median(r for r, _ in got)
        cpu = statistics.median(c for _, c in got)
        line = f"RESULT {mode} caller={caller} requests_per_s={rate:.0f} server_cpu_us_per_request={cpu:.1f}"
        if base is None:
            base = (rate, cpu)
        else:
            line += f" throughput_ratio={rate / base[0]:.3f} cpu_ratio={cpu / base[1]:.3f}"
        print(line)
PY
