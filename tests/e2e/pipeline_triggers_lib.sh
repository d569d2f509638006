# Helpers of the pipeline_triggers_*.sh tests (source after lib.sh): a `ferry pipeline watch`
# in the background with its stderr in $WORK/watch.err, and bounded waits on what it prints.

WATCH_PID=""
# start_watch FILE [flags...]: starts the watcher and waits for its "ready" line (30 s).
start_watch() {
  : >"$WORK/watch.err"
  "$FERRY" pipeline watch -f "$@" >"$WORK/watch.out" 2>"$WORK/watch.err" &
  WATCH_PID=$!
  EXTRA_CLEANUP+=("[[ -n \$WATCH_PID ]] && kill -9 \$WATCH_PID 2>/dev/null")
  wait_for "$WORK/watch.err" "ferry pipeline watch: ready" "the watcher's start"
}

# wait_for FILE PATTERN WHAT: until a line of FILE matches PATTERN (grep -E), at most 60 s.
wait_for() {
  local _
  for _ in $(seq 1 600); do
    grep -qE -- "$2" "$1" 2>/dev/null && return 0
    if [[ -n $WATCH_PID ]] && ! kill -0 "$WATCH_PID" 2>/dev/null; then
      grep -qE -- "$2" "$1" 2>/dev/null && return 0
      fail "$3: the watcher exited: $(cat "$WORK/watch.err")"
    fi
    sleep 0.1
  done
  fail "$3: no line matching '$2' within 60 s in $1: $(cat "$1")"
}

# wait_count FILE PATTERN N WHAT: until N lines of FILE match PATTERN, at most 60 s.
wait_count() {
  local _
  for _ in $(seq 1 600); do
    [[ $(grep -cE -- "$2" "$1" 2>/dev/null) -ge $3 ]] && return 0
    sleep 0.1
  done
  fail "$4: fewer than $3 lines matching '$2' within 60 s: $(cat "$1")"
}

# wait_exit PID WHAT: waits for PID (a child of this shell) to end, at most 60 s (then it is
# killed and the test fails), and sets EXIT_CODE to its status.
EXIT_CODE=""
wait_exit() {
  local _
  for _ in $(seq 1 600); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$1" 2>/dev/null && { kill -9 "$1"; fail "$2: still running after 60 s"; }
  EXIT_CODE=0
  wait "$1" || EXIT_CODE=$?
}
