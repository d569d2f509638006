# Start and stop a `ferry server` for test and benchmark scripts. Source this file after
# setting FERRY (the binary) and WORK (a scratch directory); it defines fail, start_server_in,
# stop_server and kill9_server, and kills a server still running when the script exits.

SERVER_PID=""
PORT=""
URL=""
ALL_SERVER_PIDS=()  # every server started, so a test may run several (save PID/URL first)
EXTRA_CLEANUP=()    # commands a test adds to run at exit (e.g. stopping a registry)

_ferry_server_cleanup() {
  local pid cmd
  for cmd in "${EXTRA_CLEANUP[@]}"; do eval "$cmd" || true; done
  for pid in "${ALL_SERVER_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap _ferry_server_cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  [[ -f $WORK/server.log ]] && tail -20 "$WORK/server.log" >&2
  exit 1
}

# start_server_in DATA_DIR [ferry server flags...]: a server on a free port with its data in
# DATA_DIR; sets SERVER_PID, PORT and URL once it answers /health.
start_server_in() {
  local data=$1
  shift
  mkdir -p "$data"
  : >"$WORK/server.out"
  "$FERRY" server --port 0 --quiet --backend-store-uri "sqlite:///$data/ferry.db" \
    --artifacts-destination "file://$data/artifacts" "$@" \
    >"$WORK/server.out" 2>>"$WORK/server.log" &
  SERVER_PID=$!
  ALL_SERVER_PIDS+=("$SERVER_PID")
  for _ in $(seq 1 200); do
    if grep -q "listening on" "$WORK/server.out"; then
      PORT=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$WORK/server.out")
      URL="http://127.0.0.1:$PORT"
      curl -fsS "$URL/health" >/dev/null || fail "/health did not answer"
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited during start-up"
    sleep 0.05
  done
  fail "server did not start"
}

# Graceful stop: SIGTERM, and the server must exit 0.
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
