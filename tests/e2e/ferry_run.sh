#!/usr/bin/env bash
# `ferry run -- CMD`: the command becomes a tracked run with its context and output.
source "$(dirname "$0")/lib.sh"
start_server
export MLFLOW_TRACKING_URI=$URL

repo=$WORK/repo
mkdir -p "$repo" && cd "$repo"
git init -q . && git -c user.email=t@t -c user.name=t commit -q --allow-empty -m init
commit=$(git rev-parse HEAD)

set +e
"$FERRY" run --experiment e2e-run -- sh -c 'echo "run=$MLFLOW_RUN_ID"; echo oops >&2; exit 3' \
  >"$WORK/run.out" 2>"$WORK/run.err"
status=$?
set -e
[[ $status == 3 ]] || fail "ferry run exited $status, want the command's 3: $(cat "$WORK/run.err")"
run_id=$(sed -n 's/^run=//p' "$WORK/run.out")
[[ ${#run_id} == 32 ]] || fail "the command did not see MLFLOW_RUN_ID: $(cat "$WORK/run.out")"

run=$(api GET "runs/get?run_id=$run_id")
[[ $(printf '%s' "$run" | json 'j.run.info.status') == FAILED ]] || fail "status: $run"
tag() { printf '%s' "$run" | json "(j.run.data.tags.find(t=>t.key==='$1')||{}).value||''"; }
[[ $(tag mlflow.source.git.commit) == "$commit" ]] || fail "git commit tag: $run"
[[ $(tag ferry.cwd) == "$repo" ]] || fail "cwd tag: $run"
[[ $(tag ferry.exit_status) == 3 ]] || fail "exit status tag: $run"
[[ $(tag ferry.command) == *"exit 3"* ]] || fail "command tag: $run"
[[ -n $(printf '%s' "$run" | json 'j.run.info.end_time') ]] || fail "no end_time: $run"

exp_id=$(printf '%s' "$run" | json 'j.run.info.experiment_id')
out=$(curl -sS "$URL/api/2.0/mlflow-artifacts/artifacts/$exp_id/$run_id/artifacts/stdout.txt")
[[ $out == "run=$run_id" ]] || fail "stdout artifact: $out"
err=$(curl -sS "$URL/api/2.0/mlflow-artifacts/artifacts/$exp_id/$run_id/artifacts/stderr.txt")
[[ $err == oops ]] || fail "stderr artifact: $err"

"$FERRY" run -- true 2>"$WORK/ok.err" || fail "ferry run -- true failed: $(cat "$WORK/ok.err")"
grep -q FINISHED "$WORK/ok.err" || fail "successful run not FINISHED: $(cat "$WORK/ok.err")"

set +e
"$FERRY" run -- /nonexistent/program 2>"$WORK/missing.err"
status=$?
set -e
[[ $status == 127 ]] || fail "missing program exited $status"
grep -q "cannot execute" "$WORK/missing.err" || fail "no clear error: $(cat "$WORK/missing.err")"
stop_server
echo "PASS: ferry run"
