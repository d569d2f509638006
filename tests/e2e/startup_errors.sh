#!/usr/bin/env bash
# Start-up problems give a clear message and exit 1: port in use, unusable data dir,
# database written by a newer ferry. --help works for every command.
source "$(dirname "$0")/lib.sh"

for cmd in server run; do
  "$FERRY" $cmd --help | grep -q "Usage: ferry $cmd" || fail "ferry $cmd --help"
done
"$FERRY" --help | grep -q "Commands:" || fail "ferry --help"
set +e
"$FERRY" bogus 2>/dev/null; [[ $? == 2 ]] || fail "unknown command should exit 2"
"$FERRY" server --port 99999 2>"$WORK/err"; [[ $? == 2 ]] || fail "bad port should exit 2"
set -e

start_server
set +e
"$FERRY" server --port "$PORT" --backend-store-uri "sqlite://$WORK/other/ferry.db" \
  --artifacts-destination "file://$WORK/other/a" >/dev/null 2>"$WORK/err"
status=$?
set -e
[[ $status == 1 ]] || fail "port in use: exit $status"
grep -qi "in use" "$WORK/err" || fail "port in use message: $(cat "$WORK/err")"
stop_server

touch "$WORK/not-a-dir"
set +e
"$FERRY" server --port 0 --backend-store-uri "sqlite://$WORK/not-a-dir/x.db" 2>"$WORK/err" >/dev/null
status=$?
set -e
[[ $status == 1 ]] || fail "unusable data dir: exit $status"
grep -q "not-a-dir" "$WORK/err" || fail "data dir message does not name the path: $(cat "$WORK/err")"

sqlite3 "$WORK/data/ferry.db" "UPDATE schema_version SET version = version + 100;" ||
  fail "cannot bump schema version"
set +e
"$FERRY" server --port 0 --backend-store-uri "sqlite://$WORK/data/ferry.db" 2>"$WORK/err" >/dev/null
status=$?
set -e
[[ $status == 1 ]] || fail "newer schema: exit $status"
grep -qi "newer" "$WORK/err" || fail "newer schema message: $(cat "$WORK/err")"

# A non-loopback address is warned about (no authentication); a malformed --allowed-hosts
# stops the start. Loopback stays quiet.
set +e
"$FERRY" server --host 0.0.0.0 --port 0 --allowed-hosts 'a,,b' \
  --backend-store-uri "sqlite://$WORK/hosts/ferry.db" >/dev/null 2>"$WORK/err"
status=$?
set -e
[[ $status == 1 ]] || fail "bad --allowed-hosts: exit $status"
grep -q "no authentication" "$WORK/err" || fail "no warning for 0.0.0.0: $(cat "$WORK/err")"
grep -q -- "--allowed-hosts" "$WORK/err" || fail "bad --allowed-hosts message: $(cat "$WORK/err")"
set +e
"$FERRY" server --port 0 --allowed-hosts 'a,,b' \
  --backend-store-uri "sqlite://$WORK/hosts/ferry.db" >/dev/null 2>"$WORK/err"
set -e
grep -q "no authentication" "$WORK/err" && fail "warning for loopback: $(cat "$WORK/err")"
echo "PASS: start-up errors"
