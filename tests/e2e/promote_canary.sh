#!/usr/bin/env bash
# Gates and canary promotion by registry aliases, end to end: `ferry gate` blesses the first
# model on value thresholds alone (change thresholds skipped) and judges later ones against
# @champion; `ferry server --deploy models:/bc@champion` follows @challenger as a canary;
# under a steady load loop `ferry promote` promotes a good challenger (the champion alias
# moves, the server hot-swaps, not one request fails) and rolls a bad one back by itself
# (its schema refuses the traffic's rows: the error-rate reason), leaving the champion alone;
# an interrupted promote (SIGTERM) rolls its canary back; the same loop as a pipeline (train, evaluate, gate, register, promote): a gate nobody can
# pass fails the run and skips register and promote; then version 4 is blessed, registered,
# canaried under load and promoted with no failed request;
# `ferry serve --canary models:/bc@challenger` starts without the alias and follows it.
source "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
cd "$WORK"
start_server
SRV=$URL

echo "--- three versions: two good breast-cancer models, one trained on other columns"
train() {  # train LOG ARGS...
  local log=$1
  shift
  "$FERRY" train logistic --target target --register bc --tracking-uri "$SRV" "$@" >"$log" 2>&1 ||
    { cat "$log"; fail "train $*"; }
}
train t1.log --data "$DATA/breast_cancer.csv" -o bc1.oci
train t2.log --data "$DATA/breast_cancer.csv" --param l2=10 -o bc2.oci
train t3.log --data "$DATA/wine.csv" -o bc3.oci
grep -q "Registered model 'bc' version 3" t3.log || fail "no version 3: $(cat t3.log)"

echo "--- ferry gate"
cat >thresholds.json <<'J'
{"thresholds": [
  {"metric": "accuracy", "lower_bound": 0.9, "absolute_change": -0.05, "direction": "higher"}
]}
J
"$FERRY" gate --server "$SRV" --model bc --candidate 1 --thresholds thresholds.json \
  --output b1.json >g1.out 2>&1 || { cat g1.out; fail "gate on the first model failed"; }
cat g1.out
grep -q "no baseline (change thresholds skipped)" g1.out || fail "first model: $(cat g1.out)"
grep -q "SKIP  accuracy absolute_change" g1.out || fail "change threshold not skipped"
[[ $(json 'j.passed && j.baseline===null && j.checks[1].status' <b1.json) == skipped ]] ||
  fail "blessing 1: $(cat b1.json)"
[[ $(api GET 'model-versions/get?name=bc&version=1' | json 'j.model_version.tags.find(t=>t.key==="ferry.gate").value') == passed ]] ||
  fail "version 1 not tagged ferry.gate=passed"
"$FERRY" models alias bc champion 1 --tracking-uri "$SRV" >/dev/null
"$FERRY" gate --server "$SRV" --model bc --candidate 2 --thresholds thresholds.json \
  --output b2.json >g2.out 2>&1 || { cat g2.out; fail "gate on version 2 failed"; }
grep -q "against baseline version 1 (@champion)" g2.out || fail "baseline: $(cat g2.out)"
[[ $(json 'j.baseline.version+":"+j.checks[1].status' <b2.json) == 1:passed ]] ||
  fail "blessing 2: $(cat b2.json)"
echo '{"accuracy": 0.91}' >worse.json
rc=0
"$FERRY" gate --server "$SRV" --model bc --candidate-metrics worse.json \
  --thresholds thresholds.json --output b3.json >g3.out 2>&1 || rc=$?
cat g3.out
((rc == 1)) || fail "a 5-point drop passed the change threshold (exit $rc)"
grep -q "FAIL  accuracy absolute_change" g3.out || fail "no failed change check: $(cat g3.out)"
[[ $(json 'j.passed' <b3.json) == false ]] || fail "blessing 3: $(cat b3.json)"
rc=0
"$FERRY" gate --model bc --candidate 2 >/dev/null 2>&1 || rc=$?
((rc == 2)) || fail "gate without --thresholds exited $rc, expected 2"

echo "--- serve @champion, canary on @challenger"
stop_server
start_server --deploy models:/bc@champion --quiet
node -e '
const fs=require("fs");const lines=fs.readFileSync(process.argv[1],"utf8").trim().split("\n");
const n=lines[0].split(",").length-1;
const rows=lines.slice(1,3).map(l=>l.split(",").map(Number).slice(0,n));
fs.writeFileSync("oip.json",JSON.stringify({inputs:[{name:"input",shape:[2,n],datatype:"FP64",data:rows.flat()}]}));
' "$DATA/breast_cancer.csv"
# load.js OUT: 4 clients post oip.json until the file "stop" appears; OUT gets the counts.
cat >load.js <<'JS'
const http = require("http"), fs = require("fs");
const url = new URL(process.argv[2] + "/v2/models/bc/infer"), out = process.argv[3];
const body = fs.readFileSync("oip.json");
const agent = new http.Agent({keepAlive: true, maxSockets: 4});
const counts = {ok: 0, failed: 0, versions: {}, errors: []};
let active = 4;
function one() {
  if (fs.existsSync("stop")) {
    if (--active === 0) { fs.writeFileSync(out, JSON.stringify(counts)); process.exit(0); }
    return;
  }
  const req = http.request(url, {method: "POST", agent, headers: {"Content-Type": "application/json"}}, res => {
    let s = "";
    res.on("data", d => s += d).on("end", () => {
      if (res.statusCode === 200) {
        counts.ok++;
        const v = JSON.parse(s).model_version;
        counts.versions[v] = (counts.versions[v] || 0) + 1;
      } else {
        counts.failed++;
        if (counts.errors.length < 3) counts.errors.push(res.statusCode + " " + s);
      }
      one();
    });
  });
  req.on("error", e => { counts.failed++; counts.errors.push(String(e)); setTimeout(one, 10); });
  req.end(body);
}
for (let i = 0; i < 4; i++) one();
JS
start_load() { rm -f stop "$1"; node load.js "$URL" "$1" & LOAD_PID=$!; }
stop_load() { touch stop; wait "$LOAD_PID" || fail "load loop exited with $?"; cat "$1"; echo; }
for _ in $(seq 1 100); do
  curl -fsS "$URL/api/ferry/v1/deployments/bc" 2>/dev/null | has '"version":"1"' && break
  sleep 0.1
done
curl -fsS "$URL/api/ferry/v1/deployments/bc" >d0.json || fail "GET deployments/bc"
[[ $(json 'j.primary.version+":"+(j.challenger===null)' <d0.json) == 1:true ]] ||
  fail "deployment before the canary: $(cat d0.json)"

rc=0
"$FERRY" promote --server "$URL" --model bc --percent 30 >/dev/null 2>&1 || rc=$?
((rc == 2)) || fail "promote without --version exited $rc, expected 2"
rc=0
"$FERRY" promote --server "$URL" --model bc --version 2 --percent 0 >/dev/null 2>&1 || rc=$?
((rc == 2)) || fail "promote --percent 0 exited $rc, expected 2"

echo "--- a good challenger is promoted; no request fails"
start_load good.json
sleep 1
"$FERRY" promote --server "$URL" --model bc --version 2 --percent 30 --window 4 \
  --min-requests 30 --max-latency-ratio 5 --latency-slack-ms 50 --output p2.json \
  >promote2.out 2>&1 || { cat promote2.out; fail "ferry promote of version 2 did not promote"; }
cat promote2.out
sleep 1
stop_load good.json
grep -q "^PROMOTED version 2" promote2.out || fail "no verdict line"
grep -q "challenger v2 " promote2.out || fail "no progress lines"
[[ $(json 'j.failed' <good.json) == 0 ]] || fail "requests failed during canary and swap: $(cat good.json)"
[[ $(json '(j.versions["2"]>0)+":"+(j.versions["1"]>0)' <good.json) == true:true ]] ||
  fail "both versions should have answered: $(cat good.json)"
[[ $(json 'j.verdict' <p2.json) == promoted ]] || fail "output: $(cat p2.json)"
champion() { api GET 'registered-models/get?name=bc' | json 'j.registered_model.aliases.find(a=>a.alias==="champion").version'; }
[[ $(champion) == 2 ]] || fail "champion alias did not move to 2"
code=$(curl -sS -o /dev/null -w '%{http_code}' "$URL/api/2.0/mlflow/registered-models/alias?name=bc&alias=challenger")
[[ $code != 200 ]] || fail "the challenger alias is still set"
curl -fsS "$URL/api/ferry/v1/deployments/bc" >d1.json
[[ $(json 'j.primary.version+":"+(j.challenger===null)' <d1.json) == 2:true ]] ||
  fail "deployment after promotion: $(cat d1.json)"
[[ $(api GET 'model-versions/get?name=bc&version=2' | json 'j.model_version.tags.find(t=>t.key==="ferry.promotion").value') == promoted ]] ||
  fail "version 2 not tagged ferry.promotion=promoted"

echo "--- a bad challenger is rolled back by itself; the champion stays"
start_load bad.json
rc=0
"$FERRY" promote --server "$URL" --model bc --version 3 --percent 30 --window 30 \
  --min-requests 20 --output p3.json >promote3.out 2>&1 || rc=$?
cat promote3.out
stop_load bad.json
((rc == 1)) || fail "a challenger refusing every request was not rolled back (exit $rc)"
grep -q "^ROLLED BACK version 3: the challenger's error rate 100%" promote3.out ||
  fail "no error-rate reason: $(tail -2 promote3.out)"
[[ $(json 'j.verdict' <p3.json) == rolled_back ]] || fail "output: $(cat p3.json)"
[[ $(json 'j.versions["3"]===undefined && j.versions["2"]>0' <bad.json) == true ]] ||
  fail "answers: $(cat bad.json)"
[[ $(champion) == 2 ]] || fail "the champion alias moved"
curl -fsS "$URL/api/ferry/v1/deployments/bc" >d2.json
[[ $(json 'j.primary.version+":"+(j.challenger===null)' <d2.json) == 2:true ]] ||
  fail "deployment after the rollback: $(cat d2.json)"
[[ $(api GET 'model-versions/get?name=bc&version=3' | json 'j.model_version.tags.find(t=>t.key==="ferry.promotion").value') == rolled_back ]] ||
  fail "version 3 not tagged ferry.promotion=rolled_back"
start_load after.json
sleep 1
stop_load after.json
[[ $(json 'j.failed+":"+Object.keys(j.versions).join()' <after.json) == 0:2 ]] ||
  fail "after the rollback: $(cat after.json)"

echo "--- an interrupted promote rolls its canary back"
"$FERRY" promote --server "$URL" --model bc --version 1 --window 300 --min-requests 1000000 \
  >promote1.out 2>&1 &
PROMOTE_PID=$!
for _ in $(seq 1 200); do grep -q "^Canary:" promote1.out && break; sleep 0.1; done
grep -q "^Canary:" promote1.out || fail "the canary of version 1 never started: $(cat promote1.out)"
kill -TERM "$PROMOTE_PID"
rc=0
wait "$PROMOTE_PID" || rc=$?
cat promote1.out
((rc == 1)) || fail "an interrupted promote exited $rc, expected 1"
grep -q "^ROLLED BACK version 1: interrupted" promote1.out || fail "no interruption verdict"
code=$(curl -sS -o /dev/null -w '%{http_code}' "$URL/api/2.0/mlflow/registered-models/alias?name=bc&alias=challenger")
[[ $code != 200 ]] || fail "the interrupted canary's alias is still set"
[[ $(champion) == 2 ]] || fail "an interrupted promote moved the champion"
[[ $(api GET 'model-versions/get?name=bc&version=1' | json 'j.model_version.tags.find(t=>t.key==="ferry.promotion").value') == rolled_back ]] ||
  fail "version 1 not tagged ferry.promotion=rolled_back"

echo "--- the loop as a pipeline: train, evaluate, gate, register, promote"
cp "$DATA/breast_cancer.csv" data.csv
cat >pipeline.yaml <<'Y'
name: retrain
parameters:
  floor: "0.9"
steps:
  train:
    kind: train
    inputs: {data: data.csv}
    outputs: [package]
    params: {family: logistic, target: target, l2: "3"}
  evaluate:
    kind: evaluate
    inputs: {package: steps.train.outputs.package}
    outputs: [metrics]
  thresholds:
    kind: command
    argv: [sh, -c, "printf '{\"thresholds\":[{\"metric\":\"accuracy\",\"lower_bound\":%s,\"absolute_change\":-0.05}]}' ${params.floor} > ${outputs.t}"]
    outputs: {t: thresholds.json}
  gate:
    kind: gate
    inputs: {metrics: steps.evaluate.outputs.metrics, thresholds: steps.thresholds.outputs.t}
    outputs: [blessing]
    params: {model: bc}
  register:
    kind: register
    depends_on: [gate]
    inputs: {package: steps.train.outputs.package}
    outputs: [version]
    params: {model: bc}
  promote:
    kind: promote
    inputs: {version: steps.register.outputs.version}
    outputs: [result]
    params: {percent: "30", window: "4", min-requests: "30", max-latency-ratio: "5", latency-slack-ms: "50"}
Y
# A gate nobody can pass: the run fails at the gate, register and promote are skipped.
rc=0
"$FERRY" pipeline run -f pipeline.yaml --tracking-uri "$URL" -p floor=0.999 >pl1.out 2>&1 || rc=$?
cat pl1.out
((rc == 1)) || fail "a failed gate did not fail the pipeline (exit $rc)"
steplogs() { tail -n 5 .ferry/pipelines/runs/*/logs/*.log; }
"$FERRY" pipeline status -f pipeline.yaml --format json >pl1.json
[[ $(json 'j.steps.map(s=>s.name+"="+s.state).join()' <pl1.json) == *"gate=failed"*"register=skipped"*"promote=skipped"* ]] ||
  fail "step states after a failed gate: $(steplogs)"
[[ $(champion) == 2 ]] || fail "a failed gate moved the champion"
# The real floor: blessed, registered as version 4, canaried under load and promoted.
start_load loop.json
sleep 1
"$FERRY" pipeline run -f pipeline.yaml --tracking-uri "$URL" >pl2.out 2>&1 ||
  { cat pl2.out; fail "the retraining pipeline failed: $(steplogs)"; }
stop_load loop.json
cat pl2.out
[[ $(champion) == 4 ]] || fail "the pipeline did not promote version 4: $(champion)"
[[ $(json 'j.failed' <loop.json) == 0 ]] || fail "requests failed during the pipeline's canary: $(cat loop.json)"
[[ $(api GET 'model-versions/get?name=bc&version=4' | json 'j.model_version.tags.find(t=>t.key==="ferry.promotion").value') == promoted ]] ||
  fail "version 4 not tagged ferry.promotion=promoted"

echo "--- ferry serve follows @challenger as a canary too, absent at start"
"$FERRY" serve models:/bc@champion --canary models:/bc@challenger --port 0 --tracking-uri "$URL" \
  --cache-dir cache --poll-seconds 0 --no-access-log >serve.out 2>serve.log &
SERVE_PID=$!
ALL_SERVER_PIDS+=("$SERVE_PID")
for _ in $(seq 1 200); do grep -q "^Serving" serve.out && break; sleep 0.05; done
grep -q "^Serving bc" serve.out || fail "serve did not start without @challenger: $(cat serve.log)"
S="http://127.0.0.1:$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve.out)"
curl -fsS -XPOST --data '{"percent": 50}' "$S/api/ferry/v1/deployments/bc/canary" >c.json ||
  fail "POST canary on ferry serve"
[[ $(json 'j.primary.version+":"+(j.challenger===null)' <c.json) == 4:true ]] || fail "serve: $(cat c.json)"
"$FERRY" models alias bc challenger 1 --tracking-uri "$URL" >/dev/null
curl -fsS -XPOST "$S/api/ferry/v1/hooks/registry" >/dev/null
for _ in $(seq 1 100); do
  curl -fsS "$S/api/ferry/v1/deployments/bc" | has '"percent":50' && break
  sleep 0.1
done
[[ $(curl -fsS "$S/api/ferry/v1/deployments/bc" | json 'j.challenger.version+":"+j.challenger.percent') == 1:50 ]] ||
  fail "serve did not load @challenger at 50%"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve exited with $? on SIGTERM"
stop_server
echo "PASS"
