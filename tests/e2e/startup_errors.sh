#!/usr/bin/env bash
# Start-up problems give a clear message and exit 1: port in use, unusable data dir,
# database written by a newer ferry. --help works for every command.
source "$(dirname "$0")/lib.sh"

for cmd in server run; do
  "$FERRY" $cmd --help | has "Usage: ferry $cmd" || fail "ferry $cmd --help"
done
"$FERRY" --help | has "Commands:" || fail "ferry --help"
# No doubled words in any help text ("the the", "a a"), across line breaks too.
{
  "$FERRY" --help
  for cmd in server run train serve predict export-c models package keys; do "$FERRY" $cmd --help; done
  for sub in list show register alias stage; do "$FERRY" models $sub --help; done
  for sub in create show me password admin delete; do "$FERRY" users $sub --help; done
  for sub in grant show revoke; do "$FERRY" permissions $sub --help; done
  for sub in create list revoke; do "$FERRY" tokens $sub --help; done
  for sub in build inspect sign verify push pull export import unpack; do "$FERRY" package $sub --help; done
  "$FERRY" keys generate --help
} >"$WORK/help.txt" 2>&1 || true
doubled=$(tr '\n' ' ' <"$WORK/help.txt" |
  grep -oiE "\b(the|a|an|to|of|is|it|and|or|in|on|for|with|by|be|as|at|from|that|this)[[:space:]]+\1\b" || true)
[[ -z $doubled ]] || fail "doubled words in help texts: $doubled"
set +e
"$FERRY" bogus 2>/dev/null; [[ $? == 2 ]] || fail "unknown command should exit 2"
"$FERRY" server --port 99999 2>"$WORK/err"; [[ $? == 2 ]] || fail "bad port should exit 2"
set -e

start_server
set +e
"$FERRY" server --port "$PORT" --backend-store-uri "sqlite:///$WORK/other/ferry.db" \
  --artifacts-destination "file://$WORK/other/a" >/dev/null 2>"$WORK/err"
status=$?
set -e
[[ $status == 1 ]] || fail "port in use: exit $status"
grep -qi "in use" "$WORK/err" || fail "port in use message: $(cat "$WORK/err")"
stop_server

touch "$WORK/not-a-dir"
set +e
"$FERRY" server --port 0 --backend-store-uri "sqlite:///$WORK/not-a-dir/x.db" 2>"$WORK/err" >/dev/null
status=$?
set -e
[[ $status == 1 ]] || fail "unusable data dir: exit $status"
grep -q "not-a-dir" "$WORK/err" || fail "data dir message does not name the path: $(cat "$WORK/err")"

sqlite3 "$WORK/data/ferry.db" "UPDATE schema_version SET version = version + 100;" ||
  fail "cannot bump schema version"
set +e
"$FERRY" server --port 0 --backend-store-uri "sqlite:///$WORK/data/ferry.db" 2>"$WORK/err" >/dev/null
status=$?
set -e
[[ $status == 1 ]] || fail "newer schema: exit $status"
grep -qi "newer" "$WORK/err" || fail "newer schema message: $(cat "$WORK/err")"

# A non-loopback address needs --auth (or --insecure-no-auth, knowingly); a malformed
# --allowed-hosts stops the start. Loopback stays quiet.
set +e
"$FERRY" server --host 0.0.0.0 --port 0 \
  --backend-store-uri "sqlite://$WORK/hosts/ferry.db" >/dev/null 2>"$WORK/err"
status=$?
set -e
[[ $status == 2 ]] || fail "0.0.0.0 without --auth: exit $status (want 2, a usage error)"
grep -q "without authentication" "$WORK/err" || fail "no refusal for 0.0.0.0: $(cat "$WORK/err")"
grep -q -- "--auth" "$WORK/err" || fail "the refusal does not name --auth: $(cat "$WORK/err")"
set +e
"$FERRY" server --host 0.0.0.0 --insecure-no-auth --port 0 --allowed-hosts 'a,,b' \
  --backend-store-uri "sqlite://$WORK/hosts/ferry.db" >/dev/null 2>"$WORK/err"
status=$?
set -e
[[ $status == 2 ]] || fail "bad --allowed-hosts: exit $status (want 2, a usage error)"
grep -q -- "--allowed-hosts" "$WORK/err" || fail "bad --allowed-hosts message: $(cat "$WORK/err")"
set +e
"$FERRY" server --port 0 --allowed-hosts 'a,,b' \
  --backend-store-uri "sqlite://$WORK/hosts/ferry.db" >/dev/null 2>"$WORK/err"
set -e
grep -q "authentication" "$WORK/err" && fail "warning for loopback: $(cat "$WORK/err")"
# MLflow's artifact flags: --no-serve-artifacts hands clients the artifact root itself
# (--default-artifact-root) and serves no proxy; --artifacts-only serves nothing but it.
echo hello >"$WORK/blob.txt"
proxy_put() { curl -s -o /dev/null -w '%{http_code}' -T "$WORK/blob.txt" \
  "$URL/api/2.0/mlflow-artifacts/artifacts/1/run/artifacts/blob.txt"; }
start_server_in "$WORK/noproxy" --no-serve-artifacts --default-artifact-root "$WORK/mlruns"
exp=$(api POST experiments/create '{"name":"direct"}' | json 'j.experiment_id')
loc=$(api GET "experiments/get?experiment_id=$exp" | json 'j.experiment.artifact_location')
[[ $loc == "file://$WORK/mlruns/$exp" ]] || fail "--default-artifact-root: artifact_location $loc"
[[ $(proxy_put) == 404 ]] || fail "--no-serve-artifacts still serves the artifact proxy"
stop_server
start_server_in "$WORK/proxied"
exp=$(api POST experiments/create '{"name":"proxied"}' | json 'j.experiment_id')
loc=$(api GET "experiments/get?experiment_id=$exp" | json 'j.experiment.artifact_location')
[[ $loc == "mlflow-artifacts:/$exp" ]] || fail "default artifact_location $loc"
stop_server
start_server_in "$WORK/artifacts-only" --artifacts-only
[[ $(proxy_put) == 200 ]] || fail "--artifacts-only does not serve the artifact proxy"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/2.0/mlflow/experiments/search?max_results=1")
[[ $code == 404 ]] || fail "--artifacts-only serves the tracking API ($code)"
stop_server
set +e
"$FERRY" server --artifacts-only --no-serve-artifacts 2>"$WORK/err" >/dev/null
status=$?
set -e
[[ $status == 2 ]] || fail "--artifacts-only --no-serve-artifacts: exit $status"

# sqlite:///NAME is relative to the working directory (MLflow, SQLAlchemy), as is a plain
# artifacts path; sqlite:////ABS (above, "sqlite:///$WORK/...") is absolute.
mkdir -p "$WORK/cwd"
(cd "$WORK/cwd" && exec "$FERRY" server --port 0 --quiet --backend-store-uri sqlite:///mlflow.db \
  --artifacts-destination ./mlartifacts >"$WORK/rel.out" 2>&1) &
rel_pid=$!
ALL_SERVER_PIDS+=("$rel_pid")
for _ in $(seq 1 200); do grep -q "listening on" "$WORK/rel.out" && break; sleep 0.05; done
grep -q "listening on" "$WORK/rel.out" || fail "relative sqlite URI: $(cat "$WORK/rel.out")"
[[ -f $WORK/cwd/mlflow.db ]] || fail "sqlite:///mlflow.db did not land in the working directory"
[[ -d $WORK/cwd/mlartifacts ]] || fail "./mlartifacts did not land in the working directory"
kill -TERM "$rel_pid"
wait "$rel_pid" || fail "relative-URI server exited with $? on SIGTERM"
echo "PASS: start-up errors"
