#!/usr/bin/env bash
# `ferry pipeline` on the local executor: a DAG of command steps and built-in validate and
# train steps; a second run is all cache hits; changing one parameter reruns only what
# depends on it; a flaky step succeeds on a retry, a failing one skips its dependants while
# an independent branch finishes; a timeout; cancelling a running pipeline kills its steps;
# a malformed pipeline.yaml gets a line:column error; logs, list, status, gc.
DATA=$(cd "$(dirname "$0")/../data" && pwd)
source "$(dirname "$0")/lib.sh"
cd "$WORK"

for sub in run status logs cancel list gc; do
  "$FERRY" pipeline $sub --help | has "^Usage: ferry pipeline $sub" || fail "$sub --help"
done

# step_state RUN STEP: the step's state in the run record.
step_state() { "$FERRY" pipeline status "$1" --format json | json "j.steps.find(s=>s.name=='$2').state"; }
run_id() { "$FERRY" pipeline list | awk 'NR==2 {print $1}'; }

cp "$DATA/breast_cancer.csv" data.csv
cat >pipeline.yaml <<YAML
name: e2e
concurrency: 3
parameters:
  l2: "1"
  rows: "100"
steps:
  schema:
    kind: command
    argv: ["$FERRY", monitor, schema, "\${inputs.data}", -o, "\${outputs.schema}"]
    inputs: {data: data.csv}
    outputs: {schema: schema.json}
  validate:
    kind: validate
    inputs: {data: data.csv, schema: steps.schema.outputs.schema}
  train:
    kind: train
    depends_on: [validate]
    inputs: {data: data.csv}
    outputs: [package]
    params: {family: logistic, target: target, l2: "\${params.l2}"}
  evaluate:
    kind: evaluate
    inputs: {package: steps.train.outputs.package}
    outputs: {metrics: metrics.json}
  head:
    kind: command
    argv: [sh, -c, "head -n \${params.rows} \${inputs.data} > \${outputs.head}"]
    inputs: {data: data.csv}
    outputs: {head: head.csv}
  count:
    kind: command
    argv: [sh, -c, "wc -l < \${inputs.head} > \${outputs.n}"]
    inputs: {head: steps.head.outputs.head}
    outputs: {n: n.txt}
  report:
    kind: command
    argv: [sh, -c, "ls \${inputs.package} > \${outputs.r}; cat \${inputs.n} >> \${outputs.r}"]
    inputs: {package: steps.train.outputs.package, n: steps.count.outputs.n,
             m: steps.evaluate.outputs.metrics}
    outputs: {r: report.txt}
YAML

echo "--- first run: every step runs"
"$FERRY" pipeline run >run1.txt 2>&1 || { cat run1.txt; fail "first run"; }
grep -q "7 steps: 7 ran, 0 cached, 0 failed" run1.txt || fail "first run: $(cat run1.txt)"
grep -q "train .*succeeded" run1.txt || fail "progress lines: $(cat run1.txt)"
RUN1=$(run_id)
[[ -n $(ls .ferry/pipelines/runs/$RUN1/steps/train/package/index.json) ]] || fail "train wrote no package"
grep -q "^100$" .ferry/pipelines/runs/$RUN1/steps/report/report.txt || fail "report"
M=.ferry/pipelines/runs/$RUN1/steps/evaluate/metrics.json
[[ $(json 'j.metrics.accuracy > 0.8 && j.source' <"$M") == package ]] || fail "evaluate: $(cat "$M")"

echo "--- second run: all cache hits"
"$FERRY" pipeline run >run2.txt 2>&1 || { cat run2.txt; fail "second run"; }
grep -q "7 steps: 0 ran, 7 cached" run2.txt || fail "second run: $(cat run2.txt)"
RUN2=$(run_id)
grep -q "^100$" .ferry/pipelines/runs/$RUN2/steps/report/report.txt || fail "restored outputs"

echo "--- one parameter changed: only what depends on it reruns"
"$FERRY" pipeline run -p rows=50 >run3.txt 2>&1 || { cat run3.txt; fail "third run"; }
grep -q "7 steps: 3 ran, 4 cached" run3.txt || fail "rows=50: $(cat run3.txt)"
RUN3=$(run_id)
for s in head count report; do [[ $(step_state $RUN3 $s) == succeeded ]] || fail "$s reran"; done
for s in schema validate train evaluate; do [[ $(step_state $RUN3 $s) == cached ]] || fail "$s cached"; done
"$FERRY" pipeline run -p l2=3 --quiet >run4.txt 2>&1 || { cat run4.txt; fail "l2=3"; }
grep -q "7 steps: 3 ran, 4 cached" run4.txt || fail "l2=3: $(cat run4.txt)"
"$FERRY" pipeline run --no-cache --quiet >run5.txt 2>&1 || fail "--no-cache"
grep -q "7 steps: 7 ran, 0 cached" run5.txt || fail "--no-cache: $(cat run5.txt)"

echo "--- logs, list, status"
"$FERRY" pipeline logs "$RUN1" validate >logs.txt
grep -q "no anomalies" logs.txt || fail "logs of validate: $(cat logs.txt)"
"$FERRY" pipeline logs "$RUN1" >logs.txt
grep -q "== ferry: train attempt 1 of 1" logs.txt || fail "logs header: $(head logs.txt)"
[[ $("$FERRY" pipeline list | wc -l) -eq 6 ]] || fail "list: $("$FERRY" pipeline list)"
"$FERRY" pipeline status | has "parameters: l2=1 rows=100" || fail "status of the latest run"
set +e
"$FERRY" pipeline status nosuchrun >out.txt 2>&1
[[ $? -eq 1 ]] && grep -q "no run 'nosuchrun'" out.txt || fail "status of an unknown run: $(cat out.txt)"
set -e

echo "--- retries, a failing branch, a timeout"
mkdir flaky && cat >flaky/pipeline.yaml <<'YAML'
name: flaky
parameters:
  counter: /nonexistent
steps:
  flaky:
    kind: command
    argv: [sh, -c, "echo x >> ${params.counter}; [ $(wc -l < ${params.counter}) -ge 3 ]"]
    retries: 2
    cache: false
  broken:
    kind: command
    argv: [sh, -c, "echo broken; exit 7"]
    retries: 1
  after:
    kind: command
    argv: ["true"]
    depends_on: [broken]
  slow:
    kind: command
    argv: [sleep, "30"]
    timeout: 1
  independent:
    kind: command
    argv: [sh, -c, "sleep 0.3"]
YAML
start=$(date +%s)
set +e
"$FERRY" pipeline run -f flaky/pipeline.yaml -p counter="$WORK/counter" >flaky.txt 2>&1
status=$?
set -e
((status == 1)) || fail "a failed pipeline exits 1, got $status: $(cat flaky.txt)"
(($(date +%s) - start < 15)) || fail "the timeout did not stop the slow step"
FRUN=$("$FERRY" pipeline list -f flaky/pipeline.yaml | awk 'NR==2 {print $1}')
fstate() { "$FERRY" pipeline status -f flaky/pipeline.yaml "$FRUN" --format json | json "j.steps.find(s=>s.name=='$1').$2"; }
[[ $(fstate flaky state) == succeeded && $(fstate flaky attempts) == 3 ]] || fail "flaky: $(cat flaky.txt)"
[[ $(fstate broken state) == failed && $(fstate broken attempts) == 2 ]] || fail "broken"
[[ $(fstate broken reason) == "attempt 2: exit 7" ]] || fail "broken reason: $(fstate broken reason)"
[[ $(fstate after state) == skipped ]] || fail "after: $(fstate after state)"
[[ $(fstate slow state) == failed && $(fstate slow reason) == "attempt 1: timed out after 1s" ]] ||
  fail "slow: $(fstate slow reason)"
[[ $(fstate independent state) == succeeded ]] || fail "independent branch"
"$FERRY" pipeline logs -f flaky/pipeline.yaml "$FRUN" broken >logs.txt
[[ $(grep -c "^broken$" logs.txt) == 2 ]] || fail "both attempts in the log: $(cat logs.txt)"

echo "--- cancel a running pipeline"
mkdir long && cat >long/pipeline.yaml <<'YAML'
name: long
steps:
  sleeper:
    kind: command
    argv: [sh, -c, "echo $$ >pgid; sleep 1234 & sleep 1234; wait"]
  waiting:
    kind: command
    argv: ["true"]
    depends_on: [sleeper]
YAML
"$FERRY" pipeline run -f long/pipeline.yaml >long.txt 2>&1 &
runner=$!
for _ in $(seq 300); do grep -q "sleeper .*running" long.txt && break; sleep 0.1; done
LRUN=$("$FERRY" pipeline list -f long/pipeline.yaml | awk 'NR==2 {print $1}')
for _ in $(seq 300); do [[ -s long/.ferry/pipelines/runs/$LRUN/steps/sleeper/pgid ]] && break; sleep 0.1; done
"$FERRY" pipeline cancel -f long/pipeline.yaml "$LRUN" | has "run $LRUN: cancelled" || fail "cancel"
set +e
wait $runner
status=$?
set -e
((status == 1)) || fail "a cancelled run exits 1, got $status"
grep -q "1 failed\|cancelled in" long.txt || fail "$(cat long.txt)"
[[ $("$FERRY" pipeline status -f long/pipeline.yaml "$LRUN" --format json | json 'j.state') == cancelled ]] ||
  fail "run state"
PGID=$(cat long/.ferry/pipelines/runs/$LRUN/steps/sleeper/pgid)
sleep 0.3
# Live members of the group (zombies waiting for a reaper do not count).
[[ -z $(ps -e -o pgid=,stat= | awk -v g="$PGID" '$1 == g && $2 !~ /^Z/') ]] ||
  fail "the step's process group survived the cancel: $(ps -e -o pid,pgid,stat,args | awk -v g="$PGID" '$2 == g')"

echo "--- a run whose process was killed with -9 is shown as such and cancel ends its record"
"$FERRY" pipeline run -f long/pipeline.yaml >long2.txt 2>&1 &
runner=$!
for _ in $(seq 300); do grep -q "sleeper .*running" long2.txt && break; sleep 0.1; done
kill -9 $runner
wait $runner 2>/dev/null || true
KRUN=$("$FERRY" pipeline list -f long/pipeline.yaml | awk 'NR==2 {print $1}')
for _ in $(seq 300); do [[ -s long/.ferry/pipelines/runs/$KRUN/steps/sleeper/pgid ]] && break; sleep 0.1; done
kill -9 -- -"$(cat long/.ferry/pipelines/runs/$KRUN/steps/sleeper/pgid)"  # the orphaned step
"$FERRY" pipeline status -f long/pipeline.yaml "$KRUN" >status.txt
grep -q "running, but its process $runner is gone" status.txt || fail "orphan: $(cat status.txt)"
"$FERRY" pipeline cancel -f long/pipeline.yaml "$KRUN" >cancel.txt
grep -q "cancelled (its process $runner was gone)" cancel.txt || fail "$(cat cancel.txt)"
[[ $("$FERRY" pipeline status -f long/pipeline.yaml "$KRUN" --format json | json 'j.state') == cancelled ]] ||
  fail "orphan's record not ended"

echo "--- a malformed pipeline.yaml"
mkdir bad && printf 'name: bad\nsteps:\n  a:\n    kind: command\n    argv: [sh]\n    retries: many\n' >bad/pipeline.yaml
set +e
"$FERRY" pipeline run -f bad/pipeline.yaml >bad.txt 2>&1
status=$?
set -e
((status == 1)) || fail "malformed: exit $status"
grep -q "bad/pipeline.yaml:6:14: steps.a.retries: expected an integer from 0 to 100, got 'many'" bad.txt ||
  fail "located error: $(cat bad.txt)"

echo "--- gc keeps what recorded runs use"
"$FERRY" pipeline gc | has "^0 cache entries removed" || fail "gc removed a referenced entry"
rm -rf .ferry/pipelines/runs/"$RUN3"
"$FERRY" pipeline gc | has "^[1-9] cache entries removed" || fail "gc kept an unreferenced entry"
"$FERRY" pipeline run --quiet >run6.txt 2>&1 || fail "run after gc"
grep -q "7 steps: 0 ran, 7 cached" run6.txt || fail "gc broke a referenced entry: $(cat run6.txt)"
echo "--- with a tracking server: MLflow parent and child runs, a registered version"
start_server
mkdir tracked && cp data.csv tracked/ && cat >tracked/pipeline.yaml <<'YAML'
name: tracked
steps:
  train:
    kind: train
    inputs: {data: data.csv}
    outputs: [package]
    params: {family: logistic, target: target, experiment: pipeline-train}
  register:
    kind: register
    inputs: {package: steps.train.outputs.package}
    params: {model: pipeline-model}
  note:
    kind: command
    argv: ["true"]
YAML
"$FERRY" pipeline run -f tracked/pipeline.yaml --tracking-uri "$URL" >tracked.txt 2>&1 ||
  { cat tracked.txt; fail "tracked run"; }
TRUN=$("$FERRY" pipeline list -f tracked/pipeline.yaml | awk 'NR==2 {print $1}')
PARENT=$("$FERRY" pipeline status -f tracked/pipeline.yaml "$TRUN" --format json | json 'j.mlflow_run_id')
[[ -n $PARENT ]] || fail "no MLflow run recorded for the pipeline run"
EXP=$(api GET "experiments/get-by-name?experiment_name=pipeline-tracked" | json 'j.experiment.experiment_id')
api POST runs/search "{\"experiment_ids\":[\"$EXP\"],\"filter\":\"tags.mlflow.parentRunId = '$PARENT'\"}" >children.json
[[ $(json 'j.runs.length' <children.json) == 3 ]] || fail "child runs: $(cat children.json)"
[[ $(json 'j.runs.map(r=>r.info.status).sort().join()' <children.json) == FINISHED,FINISHED,FINISHED ]] ||
  fail "child run states: $(cat children.json)"
api GET "runs/get?run_id=$PARENT" | json 'j.run.info.status' | has FINISHED || fail "parent run state"
api GET "registered-models/get?name=pipeline-model" | has '"pipeline-model"' || fail "no registered model"
echo "pipeline_local: OK"
