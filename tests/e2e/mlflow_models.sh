#!/usr/bin/env bash
# MLflow model directories (tests/data/mlflow-models, saved by the real MLflow 2.12.2 client):
# `ferry package build` of the xgboost flavor records the native backend and keeps the MLflow
# directory intact; signed, served by `ferry serve`, `ferry predict` and `ferry server --deploy`
# (as a package, a bare directory, runs:/, models:/ of a package and of a run's artifacts),
# /invocations answers what MLflow answered (cases.json) and what xgboost's own predict gives
# on 200 wider rows; `ferry package inspect` names the backend and why. The sklearn flavor needs a signed
# package (or --allow-unsigned-pickle), then runs in the Python worker pool and answers what
# MLflow answered, from `ferry predict` and from `ferry server --deploy`; a tampered model.pkl
# in a signed package is refused before any Python runs. An onnx-only model fails `ferry package build` and
# `ferry models register` at once, naming the flavor.
source "$(dirname "$0")/lib.sh"
FIX=$(cd "$(dirname "$0")/../data/mlflow-models" && pwd)
cd "$WORK"

# case NAME: writes NAME.req.json (the dataframe_split request) and NAME.want.json (MLflow's
# predictions, as {"predictions": [...]}).
case_files() {
  node -e '
const c=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"))[process.argv[2]];
require("fs").writeFileSync(process.argv[2]+".req.json",JSON.stringify(c.request_invocations));
require("fs").writeFileSync(process.argv[2]+".want.json",JSON.stringify({predictions:c.expected_predictions}));
' "$FIX/cases.json" "$1"
}
# same_json A B: the two files hold equal JSON values.
same_json() {
  node -e '
const fs=require("fs");const a=JSON.parse(fs.readFileSync(process.argv[1]));
const b=JSON.parse(fs.readFileSync(process.argv[2]));
process.exit(JSON.stringify(a)===JSON.stringify(b)?0:1)' "$1" "$2"
}
case_files xgboost-clf
case_files sklearn-logreg

echo "--- package build of the xgboost flavor: native backend, MLflow directory intact"
"$FERRY" package build "$FIX/xgboost-clf" --name clf --version 1 -o clf.oci \
  --created 2026-01-01T00:00:00Z >build.out 2>build.err || fail "build: $(cat build.err)"
grep -q "backend xgboost: flavor xgboost (XGBClassifier, model.xgb) runs natively" build.err ||
  fail "build did not report the backend: $(cat build.err)"
"$FERRY" package inspect clf.oci >inspect.txt || fail "inspect"
grep -q "^backend    xgboost: flavor xgboost (XGBClassifier, model.xgb) runs natively on libxgboost, without Python$" \
  inspect.txt || fail "inspect: $(cat inspect.txt)"
grep -q "^predictor  pyfunc mlflow xgboost MLmodel$" inspect.txt || fail "inspect: $(cat inspect.txt)"
grep -q "^inputs     mean radius float64\[-1\], mean texture float64" inspect.txt ||
  fail "inspect shows no signature: $(cat inspect.txt)"
grep -q "^requires   .*xgboost==1.7.4" inspect.txt || fail "inspect shows no requirements"
"$FERRY" package inspect clf.oci --json >inspect.json
[[ $(json 'j.config.ferry.predictor.backend' <inspect.json) == xgboost ]] || fail "config backend"
[[ $(json 'j.config.ferry.schema.inputs.length' <inspect.json) == 30 ]] || fail "config schema"
[[ $(json 'j.config.ferry.schema.inputs[0].name' <inspect.json) == "mean radius" ]] ||
  fail "config schema names"
json 'j.config.ferry.dependencies.map(d=>d.name+"=="+d.version).join(" ")' <inspect.json |
  has "xgboost==1.7.4" || fail "requirements not recorded: $(cat inspect.json)"
"$FERRY" package unpack clf.oci -o unpacked >/dev/null 2>&1 || fail "unpack"
diff -r "$FIX/xgboost-clf" unpacked || fail "the unpacked package differs from the MLflow directory"

echo "--- sign, verify, serve: /invocations answers as MLflow did"
"$FERRY" keys generate -o lnu >/dev/null
"$FERRY" package sign clf.oci --key lnu.key >/dev/null 2>&1 || fail "sign"
"$FERRY" package verify clf.oci --key lnu.pub >/dev/null 2>verify.err || fail "verify: $(cat verify.err)"
"$FERRY" serve clf.oci --port 0 --no-access-log >serve.out 2>serve.log &
SERVE_PID=$!
ALL_SERVER_PIDS+=("$SERVE_PID")
for _ in $(seq 1 200); do grep -q "^Serving" serve.out && break; sleep 0.05; done
grep -q "^Serving clf" serve.out || fail "serve did not start: $(cat serve.log)"
S="http://127.0.0.1:$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve.out)"
curl -fsS -XPOST -H 'Content-Type: application/json' --data @xgboost-clf.req.json \
  "$S/invocations" >served.json || fail "/invocations"
same_json served.json xgboost-clf.want.json ||
  fail "/invocations: $(cat served.json), MLflow: $(cat xgboost-clf.want.json)"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve exited with $? on SIGTERM"

echo "--- ferry predict: the package, the bare MLflow directory"
for src in clf.oci "$FIX/xgboost-clf"; do
  "$FERRY" predict "$src" <xgboost-clf.req.json >predicted.json 2>predict.err ||
    fail "predict $src: $(cat predict.err)"
  same_json predicted.json xgboost-clf.want.json || fail "predict $src: $(cat predicted.json)"
done

echo "--- 200 perturbed rows: as xgboost 1.7's own XGBClassifier.predict"
# tests/data/mlflow-models/xgboost-clf-wide.json (make_xgboost_wide.py): what MLflow's xgboost
# pyfunc calls, run by Debian's python3-xgboost on the same model file.
node -e '
const w=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
require("fs").writeFileSync("wide.req.json",JSON.stringify({dataframe_split:{columns:w.columns,data:w.data}}));
require("fs").writeFileSync("wide.want.json",JSON.stringify({predictions:w.expected_predictions}));
' "$FIX/xgboost-clf-wide.json"
"$FERRY" serve clf.oci --port 0 --no-access-log >serve.out 2>serve.log &
SERVE_PID=$!
ALL_SERVER_PIDS+=("$SERVE_PID")
for _ in $(seq 1 200); do grep -q "^Serving" serve.out && break; sleep 0.05; done
grep -q "^Serving clf" serve.out || fail "serve did not start: $(cat serve.log)"
S="http://127.0.0.1:$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve.out)"
curl -fsS -XPOST -H 'Content-Type: application/json' --data @wide.req.json \
  "$S/invocations" >wide.json || fail "/invocations"
same_json wide.json wide.want.json || fail "200 rows differ from xgboost's own predict"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve exited with $? on SIGTERM"

echo "--- sklearn: pickles need a signed package, then run in the Python workers"
"$FERRY" predict "$FIX/sklearn-logreg" <sklearn-logreg.req.json >/dev/null 2>bare.err &&
  fail "a bare pickle directory was loaded"
grep -q "model sklearn-logreg loads a pickle (model.pkl) and it is not in a signed package; sign the package" bare.err ||
  fail "bare dir: $(cat bare.err)"
grep -q -- "--allow-unsigned-pickle" bare.err || fail "bare dir: $(cat bare.err)"
"$FERRY" predict "$FIX/sklearn-logreg" --allow-unsigned-pickle <sklearn-logreg.req.json \
  >allowed.json 2>allowed.err || fail "--allow-unsigned-pickle: $(cat allowed.err)"
same_json allowed.json sklearn-logreg.want.json || fail "bare sklearn dir: $(cat allowed.json)"
"$FERRY" package build "$FIX/sklearn-logreg" --name logreg -o logreg.oci \
  --created 2026-01-01T00:00:00Z >/dev/null 2>build.err || fail "build logreg: $(cat build.err)"
"$FERRY" package inspect logreg.oci | has "^backend    python: flavor sklearn via python_function" ||
  fail "inspect logreg"
"$FERRY" package sign logreg.oci --key lnu.key >/dev/null 2>&1 || fail "sign logreg"
mkdir -p keys && cp lnu.pub keys/lnu.pub
cat >policy.json <<'JSON'
{"keys": {"lnu": {"path": "keys/lnu.pub"}}, "rules": [{"models": "*", "keys": ["lnu"]}]}
JSON
"$FERRY" predict logreg.oci <sklearn-logreg.req.json >/dev/null 2>unsigned.err &&
  fail "no policy, yet loaded"
grep -q "no trust policy was given" unsigned.err || fail "no policy: $(cat unsigned.err)"
"$FERRY" predict logreg.oci --trust-policy policy.json <sklearn-logreg.req.json >signed.json \
  2>signed.err || fail "signed: $(cat signed.err)"
same_json signed.json sklearn-logreg.want.json || fail "signed sklearn package: $(cat signed.json)"
cp -r logreg.oci tampered.oci
pkl=$(json 'j.manifest.layers.find(l=>l.annotations["org.cncf.model.filepath"]==="model.pkl").digest' \
  < <("$FERRY" package inspect tampered.oci --json))
flip_byte "tampered.oci/blobs/sha256/${pkl#sha256:}" 100
"$FERRY" predict tampered.oci --trust-policy policy.json --allow-unsigned-pickle \
  <sklearn-logreg.req.json >/dev/null 2>tampered.err && fail "a tampered pickle was loaded"
grep -q "model.pkl" tampered.err || fail "tampered: $(cat tampered.err)"
grep -q "Python worker" tampered.err && fail "tampered pickle reached the Python backend"

echo "--- an onnx-only model: build and registration fail at once, naming the flavor"
mkdir onnx
printf 'flavors:\n  onnx:\n    data: model.onnx\n    onnx_version: 1.14.0\nmlflow_version: 2.12.2\n' \
  >onnx/MLmodel
printf 'not really onnx' >onnx/model.onnx
"$FERRY" package build onnx --name net -o net.oci >/dev/null 2>onnx.err && fail "onnx built"
grep -q "model net cannot be served: flavor onnx: no python_function flavor; Ferry has no native ONNX backend" \
  onnx.err || fail "onnx build: $(cat onnx.err)"
[[ ! -e net.oci ]] || fail "a refused build wrote net.oci"
"$FERRY" predict onnx <xgboost-clf.req.json >/dev/null 2>onnx-load.err && fail "onnx loaded"
grep -q "model onnx cannot be served: flavor onnx: no python_function flavor" onnx-load.err ||
  fail "onnx load: $(cat onnx-load.err)"
start_server
"$FERRY" models register net --source "$WORK/onnx" --tracking-uri "$URL" >/dev/null 2>reg.err &&
  fail "onnx registered"
grep -q "model net cannot be served: flavor onnx" reg.err || fail "register: $(cat reg.err)"
curl -sS "$URL/api/2.0/mlflow/registered-models/get?name=net" | has RESOURCE_DOES_NOT_EXIST ||
  fail "a refused registration created the model"

echo "--- runs:/ and models:/ whose source is the run's artifacts: the MLflow directory"
run=$(api POST runs/create '{"experiment_id":"0","start_time":1}')
run_id=$(json 'j.run.info.run_id' <<<"$run")
root=$(json 'j.run.info.artifact_uri' <<<"$run")
root=${root#mlflow-artifacts:/}
for f in MLmodel model.xgb requirements.txt conda.yaml python_env.yaml; do
  curl -fsS -X PUT --data-binary "@$FIX/xgboost-clf/$f" \
    "$URL/api/2.0/mlflow-artifacts/artifacts/$root/model/$f" >/dev/null || fail "upload $f"
done
"$FERRY" predict "runs:/$run_id/model" --tracking-uri "$URL" --cache-dir cache \
  <xgboost-clf.req.json >run.json 2>predict.err || fail "predict runs:/: $(cat predict.err)"
same_json run.json xgboost-clf.want.json || fail "runs:/: $(cat run.json)"
"$FERRY" package build "runs:/$run_id/model" --name fromrun -o fromrun.oci --tracking-uri "$URL" \
  >/dev/null 2>build.err || fail "build runs:/: $(cat build.err)"
"$FERRY" package inspect fromrun.oci | has "^backend    xgboost: flavor xgboost" ||
  fail "inspect fromrun.oci"
"$FERRY" models register fromrun --source "runs:/$run_id/model" --tracking-uri "$URL" \
  >/dev/null 2>reg.err || fail "register fromrun: $(cat reg.err)"
"$FERRY" predict models:/fromrun/1 --tracking-uri "$URL" --cache-dir cache2 \
  <xgboost-clf.req.json >fromrun.json 2>predict.err || fail "predict models:/fromrun: $(cat predict.err)"
same_json fromrun.json xgboost-clf.want.json || fail "models:/fromrun/1: $(cat fromrun.json)"

echo "--- models:/: the registered MLflow package is served from the registry"
"$FERRY" models register clf --package clf.oci --tracking-uri "$URL" >/dev/null 2>reg.err ||
  fail "register clf: $(cat reg.err)"
"$FERRY" predict models:/clf/1 --tracking-uri "$URL" --cache-dir cache \
  <xgboost-clf.req.json >registry.json 2>predict.err || fail "predict models:/: $(cat predict.err)"
same_json registry.json xgboost-clf.want.json || fail "models:/clf/1: $(cat registry.json)"
"$FERRY" models register logreg --package logreg.oci --tracking-uri "$URL" >/dev/null 2>reg.err ||
  fail "register logreg: $(cat reg.err)"
stop_server

echo "--- ferry server --deploy: the xgboost package natively, the sklearn one in Python workers"
start_server --trust-policy "$WORK/policy.json" --deploy models:/clf/1 --deploy models:/logreg/1
for _ in $(seq 1 200); do
  curl -fsS "$URL/v2/models/clf/ready" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -fsS -XPOST -H 'Content-Type: application/json' -H 'Ferry-Model: clf' \
  --data @wide.req.json "$URL/invocations" >deployed.json || fail "/invocations of the deployed model"
same_json deployed.json wide.want.json || fail "deployed clf: $(cat deployed.json)"
for _ in $(seq 1 400); do
  curl -fsS "$URL/v2/models/logreg/ready" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -fsS -XPOST -H 'Content-Type: application/json' -H 'Ferry-Model: logreg' \
  --data @sklearn-logreg.req.json "$URL/invocations" >deployed-logreg.json ||
  fail "/invocations of the deployed sklearn model: $(tail -5 "$WORK/server.log")"
same_json deployed-logreg.json sklearn-logreg.want.json || fail "deployed logreg: $(cat deployed-logreg.json)"
meta=$(curl -fsS "$URL/v2/models/logreg") || fail "metadata of logreg"
[[ $(json 'j.platform' <<<"$meta") == ferry_mlflow-python ]] || fail "logreg platform: $meta"
[[ $(json 'j.ferry_backend_reason' <<<"$meta") == *sklearn* ]] || fail "logreg backend reason: $meta"
[[ $(json 'j.platform' <<<"$(curl -fsS "$URL/v2/models/clf")") == ferry_mlflow-xgboost ]] ||
  fail "clf platform"
stop_server
echo "OK"
