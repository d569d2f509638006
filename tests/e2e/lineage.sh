#!/usr/bin/env bash
# Lineage end to end: a tracked pipeline (train -> evaluate -> register) against a real
# `ferry server`. `ferry lineage model` names the pipeline run, the train step and the input
# CSV's digest; `ferry lineage dataset data.csv` (digested locally) names the version; the
# MLflow REST API shows the dataset input on the step run and on the training run, and the
# version's run_id is the training run (a child of the pipeline's run). A second run (train
# cached) registers version 2 from the same training run, which lineage still finds; the
# package registered on a second server (a handover) names no run there.
DATA=$(cd "$(dirname "$0")/../data" && pwd)
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$FERRY" lineage --help | has "^Usage: ferry lineage" || fail "lineage --help"
rc=0
"$FERRY" lineage bogus x >usage.txt 2>&1 || rc=$?
((rc == 2)) || fail "a bad sub-command exited $rc, expected 2: $(cat usage.txt)"

start_server
mkdir p && cp "$DATA/breast_cancer.csv" p/data.csv
cat >p/pipeline.yaml <<'YAML'
name: lineage
steps:
  train:
    kind: train
    inputs: {data: data.csv}
    outputs: [package]
    params: {family: logistic, target: target, experiment: lineage-train}
  evaluate:
    kind: evaluate
    inputs: {package: steps.train.outputs.package}
    outputs: [metrics]
  register:
    kind: register
    depends_on: [evaluate]
    inputs: {package: steps.train.outputs.package}
    params: {model: lin}
YAML
"$FERRY" pipeline run -f p/pipeline.yaml --tracking-uri "$URL" >run1.txt 2>&1 ||
  { cat run1.txt; fail "pipeline run"; }
RUN=$("$FERRY" pipeline list -f p/pipeline.yaml | awk 'NR==2 {print $1}')
"$FERRY" pipeline status -f p/pipeline.yaml "$RUN" --format json >status1.json
PARENT=$(json 'j.mlflow_run_id' <status1.json)
STEP=$(json 'j.steps.find(s=>s.name==="train").mlflow_run_id' <status1.json)
[[ -n $PARENT && -n $STEP ]] || fail "no MLflow runs recorded: $(cat status1.json)"
HEX=$(sha256sum p/data.csv | cut -d' ' -f1)
DIGEST="sha256:$HEX"

echo "--- MLflow's view: dataset inputs, the version's run"
api GET "runs/get?run_id=$STEP" >step.json
[[ $(json 'j.run.inputs.dataset_inputs.map(d=>d.dataset.name+"="+d.dataset.digest).join()' <step.json) == "data.csv=${HEX:0:32}" ]] ||
  fail "the train step's run has no dataset input for data.csv: $(cat step.json)"
[[ $(json 'j.run.inputs.dataset_inputs[0].tags.find(t=>t.key==="ferry.digest").value' <step.json) == "$DIGEST" ]] ||
  fail "the step's dataset input does not carry the full digest: $(cat step.json)"
api GET "model-versions/get?name=lin&version=1" >v1.json
TRAINING=$(json 'j.model_version.run_id || ""' <v1.json)
[[ -n $TRAINING ]] || fail "version 1 has no run_id: $(cat v1.json)"
[[ $(json 'j.model_version.tags.find(t=>t.key==="ferry.pipeline.run").value' <v1.json) == "$RUN" ]] ||
  fail "version 1 is not tagged with its pipeline run: $(cat v1.json)"
json 'j.model_version.tags.find(t=>t.key==="ferry.package.digest").value' <v1.json | has '^sha256:' ||
  fail "version 1 has no package digest tag: $(cat v1.json)"
api GET "runs/get?run_id=$TRAINING" >training.json
tag() { json "(j.run.data.tags.find(t=>t.key==='$1')||{}).value||''" <training.json; }
[[ $(tag mlflow.parentRunId) == "$PARENT" && $(tag ferry.pipeline.run) == "$RUN" && $(tag ferry.step) == train ]] ||
  fail "the training run is not linked to the pipeline: $(cat training.json)"
[[ $(json 'j.run.inputs.dataset_inputs[0].dataset.digest' <training.json) == "${HEX:0:32}" ]] ||
  fail "the training run has no dataset input: $(cat training.json)"

echo "--- ferry lineage model"
"$FERRY" lineage model lin 1 --server "$URL" >model1.txt || fail "lineage model lin 1"
cat model1.txt
head -n1 model1.txt | has "^model version lin/1 (READY" || fail "root line: $(head -n1 model1.txt)"
has "pipeline run lineage $RUN" <model1.txt || fail "the pipeline run is not named"
has "step train (train, succeeded" <model1.txt || fail "the train step is not named"
has "registered from run $TRAINING" <model1.txt || fail "the training run is not named"
has "dataset $DIGEST (data.csv" <model1.txt || fail "the input CSV's digest is not named"

echo "--- ferry lineage dataset (a path, digested here; and the digest)"
"$FERRY" lineage dataset p/data.csv --server "$URL" >ds.txt 2>ds.err || fail "lineage dataset: $(cat ds.err)"
cat ds.txt
has "$DIGEST" <ds.err || fail "the path's digest was not printed: $(cat ds.err)"
head -n1 ds.txt | has "^dataset $DIGEST" || fail "root line: $(head -n1 ds.txt)"
has "model version lin/1" <ds.txt || fail "the version trained on data.csv is not named"
"$FERRY" lineage dataset "$DIGEST" --server "$URL" --format json >ds.json
[[ $(json 'j.nodes.some(n=>n.id==="model_version:lin/1") && !j.truncated' <ds.json) == true ]] ||
  fail "dataset JSON: $(cat ds.json)"

echo "--- ferry lineage run (the pipeline's MLflow run)"
"$FERRY" lineage run "$PARENT" --server "$URL" --format json >pr.json
[[ $(json 'j.nodes.filter(n=>n.type==="step_run").map(n=>n.step).sort().join()' <pr.json) == evaluate,register,train ]] ||
  fail "the pipeline run's steps: $(cat pr.json)"
[[ $(json 'j.edges.some(e=>e.from==="run:'"$TRAINING"'"&&e.to==="model_version:lin/1"&&e.relation==="registered_as")' <pr.json) == true ]] ||
  fail "no registered_as edge: $(cat pr.json)"

echo "--- a second run: train is a cache hit, register makes version 2 from the same training run"
"$FERRY" pipeline run -f p/pipeline.yaml --tracking-uri "$URL" >run2.txt 2>&1 ||
  { cat run2.txt; fail "second pipeline run"; }
RUN2=$("$FERRY" pipeline list -f p/pipeline.yaml | awk 'NR==2 {print $1}')
[[ $RUN2 != "$RUN" ]] || fail "no second run listed"
[[ $(api GET "model-versions/get?name=lin&version=2" | json 'j.model_version.run_id') == "$TRAINING" ]] ||
  fail "version 2 does not name the training run its cached package came from"
"$FERRY" lineage model lin 2 --server "$URL" >model2.txt || fail "lineage model lin 2"
has "pipeline run lineage $RUN2" <model2.txt || fail "the registering pipeline run: $(cat model2.txt)"
has "pipeline run lineage $RUN " <model2.txt || fail "the training's pipeline run: $(cat model2.txt)"
has "dataset $DIGEST" <model2.txt || fail "the data: $(cat model2.txt)"

echo "--- a package handed to another server: its run is not there, the version names none"
A_URL=$URL
start_server_in "$WORK/data-b"
"$FERRY" models register lin --package "p/.ferry/pipelines/runs/$RUN/steps/train/package" \
  --tracking-uri "$URL" >handover.txt 2>&1 || { cat handover.txt; fail "register on server B"; }
[[ $(api GET "model-versions/get?name=lin&version=1" | json 'j.model_version.run_id || "none"') == none ]] ||
  fail "server B's version names a run it does not hold"
URL=$A_URL

echo "--- errors"
rc=0
"$FERRY" lineage model lin 9 --server "$URL" >err.txt 2>&1 || rc=$?
((rc == 1)) && has "RESOURCE_DOES_NOT_EXIST" <err.txt || fail "an unknown version: exit $rc, $(cat err.txt)"
rc=0
"$FERRY" lineage dataset "sha256:$(printf '0%.0s' {1..64})" --server "$URL" >err.txt 2>&1 || rc=$?
((rc == 1)) && has "No run consumed" <err.txt || fail "an unknown digest: exit $rc, $(cat err.txt)"
status=$(curl -s -o err.json -w '%{http_code}' "$URL/api/ferry/v1/lineage/model-versions/lin/x")
[[ $status == 400 ]] && has INVALID_PARAMETER_VALUE <err.json || fail "bad version: $status $(cat err.json)"
echo "lineage: OK"
