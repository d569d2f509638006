# Shared by the bench scripts (source it): a work directory that is removed at exit after
# every PID in PIDS is killed, a free loopback port, a process tree's CPU time, and waiting
# for an HTTP answer.

# bench_workdir NAME: creates $WORK (ferry-NAME-XXXXXX under $TMPDIR) and enters it.
bench_workdir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-$1-XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
  cd "$WORK"
}
bench_cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}

free_port() {
  /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# The process and all its descendants (Ferry's Python workers, gunicorn's workers).
tree_pids() {
  local p
  echo "$1"
  for p in $(pgrep -P "$1" || true); do tree_pids "$p"; done
}

# Sum of utime+stime (clock ticks) of a process tree. Workers that exited in between are
# counted through cutime/cstime of their (waiting) parent.
cpu_ticks() {
  local total=0 p
  for p in $(tree_pids "$1"); do
    total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

wait_http() {
  for _ in $(seq 1 400); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "no answer from $1" >&2
  exit 1
}
