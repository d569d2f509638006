#!/usr/bin/env bash
# The UI's lineage, pipelines and package-trust views in Chromium (tests/ui/lineage_test.js)
# over real data: a server with a trust policy trusting key `lnu`, a tracked pipeline that
# trains, signs with `lnu` and registers model bc (version 1: READY, signer recorded by the
# registration gate), the same package registered as bc-copy (refused by the gate: another
# model's name), and an unsigned package (refused here, READY unverified on a second server
# without a policy).
source "$(dirname "$0")/lib.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
"$UI_TESTS/install.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)/breast_cancer.csv
cd "$WORK"

"$FERRY" keys generate -o lnu >/dev/null
cat >policy.json <<'JSON'
{"keys": {"lnu": {"path": "lnu.pub"}}, "rules": [{"models": "*", "keys": ["lnu"]}]}
JSON
start_server --trust-policy "$WORK/policy.json"

mkdir p && cp "$DATA" p/data.csv && cp lnu.key p/lnu.key
cat >p/pipeline.yaml <<'YAML'
name: signed
steps:
  train:
    kind: train
    inputs: {data: data.csv}
    outputs: [package]
    params: {family: logistic, target: target, name: bc, experiment: signed-train}
  sign:
    kind: sign
    inputs: {package: steps.train.outputs.package, key: lnu.key}
  register:
    kind: register
    depends_on: [sign]
    inputs: {package: steps.train.outputs.package}
    params: {model: bc}
YAML
"$FERRY" pipeline run -f p/pipeline.yaml --tracking-uri "$URL" >run.txt 2>&1 ||
  { cat run.txt; fail "pipeline run"; }
v1=$(api GET "model-versions/get?name=bc&version=1")
[[ $(json 'j.model_version.status' <<<"$v1") == READY ]] || fail "version 1: $v1"
[[ $(json '(j.model_version.tags.find(t=>t.key==="ferry.verified.signer")||{}).value' <<<"$v1") == lnu ]] ||
  fail "the gate did not record the signer: $v1"

# The same signed package under another name: the gate refuses it (a key trusted for one model
# must not publish under another's name), so no signer is recorded.
api POST registered-models/create '{"name":"bc-copy"}' >/dev/null
source1=$(json 'j.model_version.source' <<<"$v1")
# (It claims the gate's signer tag as MLflow's copy_model_version would copy it: dropped.)
api POST model-versions/create "{\"name\":\"bc-copy\",\"source\":\"$source1\",
  \"tags\":[{\"key\":\"ferry.verified.signer\",\"value\":\"lnu\"}]}" >/dev/null
refused() { api GET "model-versions/get?name=bc-copy&version=1" | has FAILED_REGISTRATION; }
eventually 10 refused || fail "bc-copy was not refused"
api GET "model-versions/get?name=bc-copy&version=1" | has -v ferry.verified ||
  fail "a client-given ferry.verified tag was kept"

# An unsigned package: this server refuses it outright; one without a trust policy takes it,
# READY but not verified.
"$FERRY" train logistic --data "$DATA" --target target --name bc --no-tracking -o unsigned \
  >/dev/null 2>&1 || fail "train unsigned"
if "$FERRY" models register bc --package unsigned --tracking-uri "$URL" >reg2.txt 2>&1; then
  fail "an unsigned package registered under the trust policy: $(cat reg2.txt)"
fi
A_URL=$URL
start_server_in "$WORK/b"
B_URL=$URL
"$FERRY" models register bc --package unsigned --tracking-uri "$B_URL" >reg3.txt 2>&1 ||
  fail "register without a policy: $(cat reg3.txt)"
URL=$A_URL

# A client cannot forge the gate's tags.
out=$(curl -sS -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data '{"name":"bc-copy","version":"1","key":"ferry.verified.signer","value":"lnu"}' \
  "$URL/api/2.0/mlflow/model-versions/set-tag")
[[ ${out##*$'\n'} == 400 ]] && has "is reserved" <<<"$out" || fail "a forged signer tag: $out"

node "$UI_TESTS/lineage_test.js" "$URL" "sha256:$(sha256sum p/data.csv | cut -d' ' -f1)" "$B_URL" ||
  fail "UI lineage views in Chromium"
echo "PASS"
