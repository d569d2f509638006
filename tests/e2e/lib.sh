# Shared helpers for end-to-end tests: start a ferry server on a free port with its own
# data dir, wait until it answers, stop it by PID. Source this file; $FERRY is the binary.
set -euo pipefail

FERRY=${1:?usage: $0 path/to/ferry}
FERRY=$(readlink -f "$FERRY")
WORK=$(mktemp -d /tmp/ferry-e2e-XXXXXX)
SERVER_PID=""
PORT=""

cleanup() {
  [[ -n $SERVER_PID ]] && kill -9 "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  [[ -f $WORK/server.log ]] && tail -20 "$WORK/server.log" >&2
  exit 1
}

# start_server [extra ferry server flags...]: sets SERVER_PID, PORT and URL.
start_server() {
  : >"$WORK/server.out"
  "$FERRY" server --port 0 --quiet --backend-store-uri "sqlite://$WORK/data/ferry.db" \
    --artifacts-destination "file://$WORK/data/artifacts" "$@" \
    >"$WORK/server.out" 2>>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    if grep -q "listening on" "$WORK/server.out"; then
      PORT=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$WORK/server.out")
      URL="http://127.0.0.1:$PORT"
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited during start-up"
    sleep 0.05
  done
  fail "server did not start"
}

stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || fail "server exited with status $? on SIGTERM"
  SERVER_PID=""
}

kill9_server() {
  kill -9 "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# api METHOD PATH [JSON]: calls /api/2.0/mlflow/PATH, prints the body, fails on non-200.
api() {
  local out status
  out=$(curl -sS -X "$1" -H 'Content-Type: application/json' -w '\n%{http_code}' \
    ${3:+--data "$3"} "$URL/api/2.0/mlflow/$2")
  status=${out##*$'\n'}
  [[ $status == 200 ]] || fail "$1 $2 -> $status: ${out%$'\n'*}"
  printf '%s' "${out%$'\n'*}"
}

# json EXPR: evaluates a JavaScript expression over the JSON on stdin (bound to `j`).
json() {
  node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);const v=($1);process.stdout.write(typeof v==='string'?v:JSON.stringify(v))})"
}
