# Shared helpers for end-to-end tests: start a ferry server on a free port with its own
# data dir, wait until it answers, stop it by PID (scripts/lib/server.sh). Source this file;
# $FERRY is the binary.
set -euo pipefail

FERRY=${1:?usage: $0 path/to/ferry}
FERRY=$(readlink -f "$FERRY")
WORK=$(mktemp -d /tmp/ferry-e2e-XXXXXX)
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/server.sh"

# start_server [extra ferry server flags...]: data under $WORK/data.
start_server() { start_server_in "$WORK/data" "$@"; }

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

# flip_byte FILE OFFSET: replaces the byte at OFFSET with its complement, so the file always
# changes (writing a fixed byte leaves random content alone once in 256 runs).
flip_byte() {
  local byte
  byte=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
  [[ -n $byte ]] || fail "flip_byte: $1 has no byte at offset $2"
  printf "\\$(printf '%03o' $((byte ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# has GREP-ARGS...: like `grep -q`, but reads all its input. Under pipefail, `cmd | has X`
# fails at random when grep exits at the first match and cmd then dies writing the rest
# (SIGPIPE): use `cmd | has X` instead.
has() { grep "$@" >/dev/null; }

# churn_package DIR: the data of DIR/data.py (train.csv, ref.csv, ... in the current
# directory) and its logistic model packaged with a reference profile as ref.oci (churn v1).
churn_package() {
  python3 "$1/data.py"
  "$FERRY" train logistic --data train.csv --target y --no-tracking -o m.oci >train.log 2>&1 ||
    fail "train: $(cat train.log)"
  "$FERRY" package unpack m.oci -o mdir >/dev/null 2>&1 || fail "unpack"
  "$FERRY" package build mdir --name churn --version 1 --reference-data ref.csv -o ref.oci \
    >/dev/null 2>build.log || fail "build: $(cat build.log)"
}

# eventually SECONDS CMD...: polls CMD every 50 ms until it succeeds or SECONDS pass.
eventually() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}
