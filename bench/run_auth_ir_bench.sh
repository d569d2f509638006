#!/usr/bin/env bash
# What `ferry server --auth` costs per request, counted in instructions rather than time, so a
# shared, loaded machine gives the same answer as a quiet one: each server runs under
# valgrind's callgrind, and `callgrind_control --dump` brackets a fixed number of requests of
# one caller, so every dump holds exactly those requests (start-up, the warm-up and Basic's one
# scrypt check fall in earlier dumps). Issue 15's target: an authenticated request costs
# <= 5% more than an anonymous one.
#   bench/run_auth_ir_bench.sh build/ferry
# Modes: get (runs/get of one small run) and ingest (log-batch of 1000 metrics), over one
# keep-alive connection (one curl). Knobs: GETS=400 INGESTS=20 WORKSPACES=1 (both servers with
# --enable-workspaces, the user an editor in `default`). Needs valgrind (apt).
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
WORK=$(mktemp -d /tmp/ferry-auth-ir-XXXXXX)
source "$(dirname "$0")/../scripts/lib/server.sh"
command -v callgrind_control >/dev/null || fail "needs valgrind (apt-get install valgrind)"
GETS=${GETS:-400}
INGESTS=${INGESTS:-20}
export FERRY_ADMIN_PASSWORD=bench-admin-password
FLAGS=()
[[ ${WORKSPACES:-0} == 1 ]] && FLAGS+=(--enable-workspaces)
JSON=(-H 'Content-Type: application/json')

# setup DIR [AUTHORIZATION]: a run (and its experiment) in a server's data directory; prints
# the run id. The server stops again: the measured one is started under callgrind.
setup() {
  local auth=()
  [[ -n ${2:-} ]] && auth=(-H "Authorization: $2")
  start_server_in "$1" "${@:3}"
  local exp
  exp=$(curl -fsS "${auth[@]}" "${JSON[@]}" -d '{"name":"bench"}' \
    "$URL/api/2.0/mlflow/experiments/create" | sed 's/.*"experiment_id":"\([^"]*\)".*/\1/')
  curl -fsS "${auth[@]}" "${JSON[@]}" -d "{\"experiment_id\":\"$exp\",\"start_time\":1}" \
    "$URL/api/2.0/mlflow/runs/create" | sed 's/.*"run_id":"\([^"]*\)".*/\1/' >"$1/run_id"
}

# A user, a token and a run on the --auth server's data; a run on the anonymous one's.
start_server_in "$WORK/auth" --auth "${FLAGS[@]}"
curl -fsS -u admin:$FERRY_ADMIN_PASSWORD "${JSON[@]}" \
  -d '{"username":"bench","password":"bench-password"}' "$URL/api/2.0/mlflow/users/create" >/dev/null
TOKEN=$(curl -fsS -u bench:bench-password "${JSON[@]}" -d '{"name":"bench"}' \
  "$URL/api/ferry/v1/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/')
if [[ ${WORKSPACES:-0} == 1 ]]; then
  curl -fsS -u admin:$FERRY_ADMIN_PASSWORD -X PUT "${JSON[@]}" \
    -d '{"principal":"bench","kind":"user","role":"editor"}' \
    "$URL/api/ferry/v1/workspaces/default/members" >/dev/null
fi
stop_server
BASIC="Basic $(printf bench:bench-password | base64 -w0)"
setup "$WORK/auth" "$BASIC" --auth "${FLAGS[@]}"
stop_server
setup "$WORK/anonymous" "" "${FLAGS[@]}"
stop_server

# The 1000-metric log-batch body of a run.
batch() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
print(json.dumps({"run_id": sys.argv[1], "metrics": [
    {"key": f"m{i % 10}", "value": i * 0.5, "timestamp": 1700000000000 + i, "step": i}
    for i in range(1000)]}))
PY
}

# under_callgrind DIR [FLAGS...]: the server on DIR's data under callgrind; sets PID and URL.
under_callgrind() {
  local dir=$1
  shift
  : >"$WORK/cg.out"
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.%p" --dump-instr=no \
    "$FERRY" server --port 0 --quiet --backend-store-uri "sqlite:///$dir/ferry.db" \
    --artifacts-destination "file://$dir/artifacts" "$@" >"$WORK/cg.out" 2>>"$WORK/server.log" &
  PID=$!
  ALL_SERVER_PIDS+=("$PID")
  for _ in $(seq 1 1200); do
    grep -q "listening on" "$WORK/cg.out" && break
    kill -0 "$PID" 2>/dev/null || fail "server under callgrind exited"
    sleep 0.1
  done
  URL="http://127.0.0.1:$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$WORK/cg.out")"
}

# requests MODE N DIR [AUTHORIZATION]: N requests of MODE over one connection.
requests() {
  local mode=$1 n=$2 dir=$3 run auth=()
  run=$(cat "$dir/run_id")
  [[ -n ${4:-} ]] && auth=(-H "Authorization: $4")
  local urls=()
  if [[ $mode == get ]]; then
    for _ in $(seq 1 "$n"); do urls+=("$URL/api/2.0/mlflow/runs/get?run_id=$run"); done
    curl -fsS "${auth[@]}" -o /dev/null "${urls[@]}" >/dev/null
  else
    batch "$run" >"$WORK/batch.json"
    for _ in $(seq 1 "$n"); do urls+=("$URL/api/2.0/mlflow/runs/log-batch"); done
    curl -fsS "${auth[@]}" "${JSON[@]}" --data-binary "@$WORK/batch.json" "${urls[@]}" >/dev/null
  fi
}

# measure NAME DIR AUTHORIZATION: prints "RESULT mode caller=NAME ir_per_request=..." for both
# modes; every dump after the warm-up holds exactly one mode's N requests.
measure() {
  local name=$1 dir=$2 auth=$3
  requests get 20 "$dir" "$auth"
  requests ingest 2 "$dir" "$auth"
  callgrind_control --dump "$PID" >/dev/null
  for mode in get ingest; do
    local n=$GETS
    [[ $mode == ingest ]] && n=$INGESTS
    requests "$mode" "$n" "$dir" "$auth"
    callgrind_control --dump "$PID" >/dev/null
    local last
    last=$(ls -v "$dir"/cg."$PID".* | tail -1)
    local ir
    ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$last")
    echo "RESULT $mode caller=$name requests=$n ir_per_request=$((ir / n))" | tee -a "$WORK/results"
  done
}

: >"$WORK/results"
under_callgrind "$WORK/anonymous" "${FLAGS[@]}"
measure anonymous "$WORK/anonymous" ""
kill "$PID"
wait "$PID" || true
under_callgrind "$WORK/auth" --auth "${FLAGS[@]}"
measure basic "$WORK/auth" "$BASIC"
measure bearer "$WORK/auth" "Bearer $TOKEN"
kill "$PID"
wait "$PID" || true

echo "== summary (instructions per request; ratio = caller / anonymous)"
/usr/bin/python3 - "$WORK/results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    kv = dict(x.split("=", 1) for x in f[2:])
    rows[(f[1], kv["caller"])] = int(kv["ir_per_request"])
for mode in ("get", "ingest"):
    base = rows[(mode, "anonymous")]
    for caller in ("anonymous", "basic", "bearer"):
        ir = rows[(mode, caller)]
        print(f"RESULT {mode} caller={caller} ir_per_request={ir} ratio={ir / base:.3f}")
PY
