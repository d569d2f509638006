#!/usr/bin/env bash
# A deployed model whose load raises: the real MLflow 2.12.2 client logs a PythonModel whose
# load_context raises RuntimeError("weights are missing") as version 1 of "fragile" and a
# good one (x * 2) as version 2. `ferry server --deploy models:/fragile@prod` with @prod on
# version 1 stays up, and says why the deployment is not ready: the deployments API's
# last_error, /v2/models/fragile/ready (400, ready false, the reason), /v2/models/fragile
# and /invocations (503 with the reason). Moving @prod to version 2 makes it READY at once
# (the registry event retries the failed load without waiting for its backoff); moving it
# back to version 1 keeps version 2 serving, with the failed attempt in last_error.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"
start_server

echo "--- the MLflow client logs fragile v1 (its load raises) and v2 (x * 2); @prod -> 1"
MLFLOW_TRACKING_URI=$URL /usr/bin/python3 - >log.out 2>log.err <<'PY' ||
import mlflow
import mlflow.pyfunc
import pandas as pd
from mlflow.models import infer_signature

class Broken(mlflow.pyfunc.PythonModel):
    def load_context(self, context):
        raise RuntimeError("weights are missing")
    def predict(self, context, model_input):
        return model_input

class Double(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input["x"] * 2

example = pd.DataFrame({"x": [1.0, 2.0]})
sig = infer_signature(example, example["x"] * 2)
for model in (Broken(), Double()):
    with mlflow.start_run():
        mlflow.pyfunc.log_model("model", python_model=model, signature=sig,
                                registered_model_name="fragile")
mlflow.MlflowClient().set_registered_model_alias("fragile", "prod", "1")
PY
  { tail -20 log.err; fail "the MLflow client could not log the versions"; }
stop_server

deployment() { curl -fsS "$URL/api/ferry/v1/deployments/fragile" 2>/dev/null; }
# field EXPR: the value of EXPR over the deployment's JSON (`j`), "" when it does not answer.
field() { deployment | json "$1" 2>/dev/null || true; }
failed_on() { [[ $(field 'j.last_error && j.last_error.version') == "$1" ]]; }
# code PATH: the HTTP status of GET PATH; its body in got.txt.
code() { curl -sS -o got.txt -w '%{http_code}' "$URL$1"; }
body='{"dataframe_split": {"columns": ["x"], "data": [[1.5]]}}'
invoke() {
  curl -sS -o got.txt -w '%{http_code}' -XPOST -H 'Content-Type: application/json' \
    --data "$body" "$URL/invocations"
}

echo "--- ferry server --deploy models:/fragile@prod: up, not ready, and says why"
start_server --deploy models:/fragile@prod --allow-unsigned-pickle
eventually 30 failed_on 1 || fail "no last_error for version 1: $(deployment)"
reason='RuntimeError: weights are missing'
deployment | has -F "$reason" || fail "the reason: $(deployment)"
[[ $(field 'j.primary') == null && $(field 'j.last_error.arm') == primary ]] ||
  fail "deployment: $(deployment)"
[[ $(code /v2/models/fragile/ready) == 400 ]] || fail "ready: $(cat got.txt)"
[[ $(json 'j.ready' <got.txt) == false ]] && has -F "$reason" got.txt || fail "ready: $(cat got.txt)"
[[ $(code /v2/models/fragile) == 503 ]] && has -F "$reason" got.txt || fail "metadata: $(cat got.txt)"
[[ $(code /v2/health/ready) == 400 ]] || fail "the server says it is ready: $(cat got.txt)"
[[ $(invoke) == 503 ]] && has -F "$reason" got.txt || fail "invocations: $(cat got.txt)"
[[ $(code /health) == 200 ]] || fail "tracking /health: $(cat got.txt)"
api GET "registered-models/get?name=fragile" >/dev/null

echo "--- @prod -> 2: READY, the error cleared"
api POST registered-models/alias '{"name":"fragile","alias":"prod","version":"2"}' >/dev/null
ready() { [[ $(code /v2/models/fragile/ready) == 200 ]]; }
eventually 30 ready || fail "not ready after @prod moved to 2: $(deployment)"
[[ $(field 'j.primary.version') == 2 && $(field 'j.primary.state') == READY ]] ||
  fail "deployment: $(deployment)"
[[ $(field 'j.last_error') == null ]] || fail "the error stayed: $(deployment)"
[[ $(invoke) == 200 ]] && has '"predictions": *\[3\.0\]' got.txt || fail "invocations: $(cat got.txt)"

echo "--- @prod -> 1 again: version 2 keeps serving, the failed attempt is shown"
api POST registered-models/alias '{"name":"fragile","alias":"prod","version":"1"}' >/dev/null
eventually 30 failed_on 1 || fail "no last_error for the second attempt: $(deployment)"
[[ $(field 'j.primary.version') == 2 && $(field 'j.primary.state') == READY ]] ||
  fail "deployment: $(deployment)"
deployment | has -F "$reason" || fail "the reason: $(deployment)"
ready || fail "not ready while version 2 serves: $(cat got.txt)"
[[ $(invoke) == 200 ]] && has '"predictions": *\[3\.0\]' got.txt || fail "invocations: $(cat got.txt)"
stop_server
echo "PASS"
