#!/usr/bin/env bash
# Python models behind `ferry serve`, over HTTP (Triton #7230/#8604, MLServer #707/#1431 are
# what goes wrong elsewhere): custom PythonModels saved by the real MLflow 2.12.2 client. A
# request past --python-timeout gets 504 with MLflow's message and the worker is replaced
# (the next request answers); kill -9 of the worker under load: no request hangs, each gets
# 200 or 503, and the model is ready again within 5 s with /v2/models/NAME/ready telling the
# truth meanwhile (requests while no worker lives get 503 at once, not a wait); a model whose
# load raises is refused with the exception named.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"

/usr/bin/python3 - <<'PY' >save.log 2>&1 || { cat save.log; fail "saving the models"; }
import time
import mlflow.pyfunc
import pandas as pd
from mlflow.models import infer_signature

class Sleepy(mlflow.pyfunc.PythonModel):
    """x * 2; sleeps x seconds when x > 100 (x - 100 of them)."""
    def predict(self, context, model_input):
        x = model_input["x"]
        if (x > 100).any():
            time.sleep(float(x.max()) - 100)
        return x * 2

class Broken(mlflow.pyfunc.PythonModel):
    def load_context(self, context):
        raise RuntimeError("weights are missing")
    def predict(self, context, model_input):
        return model_input

example = pd.DataFrame({"x": [1.0, 2.0]})
sig = infer_signature(example, example["x"] * 2)
mlflow.pyfunc.save_model("sleepy", python_model=Sleepy(), signature=sig, input_example=example)
mlflow.pyfunc.save_model("broken", python_model=Broken(), signature=sig)
PY

req() { printf '{"dataframe_split": {"columns": ["x"], "data": [[%s]]}}' "$1"; }
serve() {  # serve DIR [flags...]: starts `ferry serve` on a free port, sets SURL
  "$FERRY" serve "$@" --port 0 --allow-unsigned-pickle --no-access-log >serve.out 2>serve.err &
  SERVE_PID=$!
  ALL_SERVER_PIDS+=("$SERVE_PID")
  for _ in $(seq 1 400); do
    SURL=$(sed -n 's/.* on \(http:[^ ]*\).*/\1/p' serve.out | head -1)
    [[ -n $SURL ]] && curl -fsS "$SURL/ping" >/dev/null 2>&1 && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

echo "--- a request past --python-timeout: 504, the worker replaced"
serve sleepy --python-timeout 2 || fail "serve sleepy: $(cat serve.err)"
curl -sS -XPOST -H 'Content-Type: application/json' --data "$(req 3)" "$SURL/invocations" \
  | has '"predictions":\[6.0\]' || fail "a normal request"
start=$(date +%s)
code=$(curl -sS -o slow.json -w '%{http_code}' --max-time 30 -XPOST \
  -H 'Content-Type: application/json' --data "$(req 130)" "$SURL/invocations")
[[ $code == 504 ]] || fail "past the deadline: HTTP $code $(cat slow.json)"
grep -q "Request processing time exceeded limit" slow.json || fail "504 body: $(cat slow.json)"
(($(date +%s) - start < 15)) || fail "the 504 took $(($(date +%s) - start)) s for a 2 s deadline"
ok=""
for _ in $(seq 1 100); do  # the replacement worker loads, then answers
  if curl -fsS -XPOST -H 'Content-Type: application/json' --data "$(req 4)" "$SURL/invocations" \
    2>/dev/null | has '"predictions":\[8.0\]'; then ok=1 && break; fi
  sleep 0.1
done
[[ -n $ok ]] || fail "no answer after the worker was replaced"

echo "--- kill -9 of the worker under load"
worker=$(pgrep -P "$SERVE_PID" | head -1)
[[ -n $worker ]] || fail "no worker process under ferry serve"
for c in 1 2 3 4; do
  (for i in $(seq 1 60); do
    curl -sS -o /dev/null -w '%{http_code}\n' --max-time 10 -XPOST \
      -H 'Content-Type: application/json' --data "$(req "$i")" "$SURL/invocations" || echo hang
  done >"load$c.txt") &
done
sleep 0.3
kill -9 "$worker"
killed=$(date +%s%N)
wait_ready=""
for _ in $(seq 1 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$SURL/v2/models/sleepy/ready")
  echo "$code" >>ready.txt
  [[ $code == 200 ]] && [[ -n $(pgrep -P "$SERVE_PID") ]] &&
    [[ $(pgrep -P "$SERVE_PID" | head -1) != "$worker" ]] && { wait_ready=1 && break; }
  sleep 0.05
done
back_ms=$((($(date +%s%N) - killed) / 1000000))
wait $(jobs -p | grep -v "^$SERVE_PID$") 2>/dev/null || true
cat load*.txt | sort | uniq -c
[[ -n $wait_ready ]] || fail "not ready again within 5 s: $(tr '\n' ' ' <ready.txt)"
((back_ms < 5000)) || fail "ready again after $back_ms ms"
grep -q '^400$' ready.txt || fail "ready never said no while the worker was replaced: $(tr '\n' ' ' <ready.txt)"
! grep -qv '^\(200\|503\)$' load*.txt || fail "answers other than 200 or 503 (or a hang)"
(($(cat load*.txt | grep -c '^200$') > 0)) || fail "no request succeeded around the kill"
curl -fsS -XPOST -H 'Content-Type: application/json' --data "$(req 5)" "$SURL/invocations" |
  has '"predictions":\[10.0\]' || fail "no answer from the new worker"
echo "ready again after $back_ms ms"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null || true

echo "--- a model whose load raises: refused, the exception named"
rc=0
timeout 60 "$FERRY" serve broken --port 0 --allow-unsigned-pickle >broken.out 2>broken.err || rc=$?
((rc == 1)) || fail "broken model: exit $rc"
grep -q "RuntimeError: weights are missing" broken.err || fail "broken: $(cat broken.err)"
echo "PASS"
