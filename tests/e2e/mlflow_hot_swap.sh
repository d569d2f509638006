#!/usr/bin/env bash
# A hot swap of a Python model under load: the real MLflow 2.12.2 client logs two versions of
# a scikit-learn LinearRegression (y = 2x, then y = 3x) into a running `ferry server`; a
# server started with --deploy models:/lin@prod serves version 1 with two Python workers
# while eight keep-alive clients POST /invocations without pause, and the alias moves to
# version 2 through the MLflow REST API. Every answer is 200 and is version 1's or version
# 2's, no request sent after the first version-2 answer gets version 1, /v2/models/lin/ready
# and the deployment's primary arm never leave 200/READY (version 2 was loaded and warmed
# before it took traffic), and version 1's worker processes exit after the swap, on their own
# (SHUTDOWN, not SIGKILL), while version 2 runs two new ones.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"
start_server

echo "--- the MLflow client logs lin v1 (y = 2x) and v2 (y = 3x); @prod -> 1"
MLFLOW_TRACKING_URI=$URL /usr/bin/python3 - >log.out 2>log.err <<'PY' ||
import mlflow
import numpy as np
import pandas as pd
from mlflow.models import infer_signature
from sklearn.linear_model import LinearRegression
x = pd.DataFrame({"x": np.arange(10, dtype="float64")})
for slope in (2.0, 3.0):
    model = LinearRegression().fit(x, slope * x["x"])
    with mlflow.start_run():
        mlflow.sklearn.log_model(model, "model", registered_model_name="lin",
                                 signature=infer_signature(x, model.predict(x)))
mlflow.MlflowClient().set_registered_model_alias("lin", "prod", "1")
PY
  { tail -20 log.err; fail "the MLflow client could not log the versions"; }
stop_server

echo "--- ferry server --deploy models:/lin@prod serves version 1"
start_server --deploy models:/lin@prod --allow-unsigned-pickle --python-workers 2
SRV_PID=$SERVER_PID
for _ in $(seq 1 600); do  # 30 s
  curl -fsS "$URL/v2/models/lin/ready" >/dev/null 2>&1 && break
  sleep 0.05
done
curl -fsS "$URL/v2/models/lin/ready" >/dev/null || fail "lin not ready: $(tail -5 "$WORK/server.log")"

# python_children: the PIDs of the server's child processes running python, one a line.
python_children() {
  local pid
  for pid in $(pgrep -P "$SRV_PID" || true); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | has python && echo "$pid"
  done
  return 0
}
old_workers=$(python_children)
(($(wc -l <<<"$old_workers") == 2)) || fail "expected 2 Python workers, found: '$old_workers'"

echo "--- eight clients under load while @prod moves to version 2"
/usr/bin/python3 "$HERE/hot_swap_client.py" run "$URL" lin stop answers.json 8 \
  2>client.err &
CLIENT_PID=$!
sleep 3  # some load on version 1 first
api POST registered-models/alias '{"name":"lin","alias":"prod","version":"2"}' >/dev/null
body='{"dataframe_split": {"columns": ["x"], "data": [[1.0]]}}'
answer() {  # the first prediction for x = 1, rounded to 6 decimals ("" on failure)
  curl -fsS -XPOST -H 'Content-Type: application/json' --data "$body" "$URL/invocations" \
    2>/dev/null | json 'j.predictions[0].toFixed(6)' 2>/dev/null || true
}
deadline=$((SECONDS + 30))  # for the new version to load and take over
until [[ $(answer) == 3.000000 ]]; do
  ((SECONDS < deadline)) || fail "version 2 did not take over: $(answer)"
  sleep 0.05
done
sleep 3  # some load on version 2
touch stop
wait "$CLIENT_PID" || fail "the load client failed: $(tail -5 client.err)"
/usr/bin/python3 "$HERE/hot_swap_client.py" check answers.json 2 3 || fail "the swap under load"

echo "--- version 1's workers exited; version 2 has its own two"
gone=""
for _ in $(seq 1 600); do  # 30 s
  gone=1
  for pid in $old_workers; do [[ -e /proc/$pid ]] && gone=""; done
  [[ -n $gone ]] && break
  sleep 0.05
done
[[ -n $gone ]] || fail "version 1's workers still run: $(for p in $old_workers; do
  cat "/proc/$p/status" 2>/dev/null | head -3; done)"
new_workers=$(python_children)
(($(wc -l <<<"$new_workers") == 2)) || fail "expected 2 Python workers, found: '$new_workers'"
for pid in $new_workers; do
  if has -x "$pid" <<<"$old_workers"; then fail "worker $pid served both versions"; fi
done
curl -fsS "$URL/api/ferry/v1/deployments/lin" | json 'j.primary.version' | has -x 2 ||
  fail "the deployment does not serve version 2"
# Unloaded off the event loops, version 1's workers had time to exit on SHUTDOWN, not killed.
for _ in $(seq 1 600); do  # 30 s: the line follows the reaping
  grep -q "msg=python_workers_stopped" "$WORK/server.log" && break
  sleep 0.05
done
grep -q "msg=python_workers_stopped exited=2 killed=0" "$WORK/server.log" ||
  fail "version 1's workers: $(grep python_workers_stopped "$WORK/server.log")"
grep -q "msg=deployment_updated deployment=lin from=1 to=2" "$WORK/server.log" ||
  fail "no deployment_updated in the log"
stop_server
echo "PASS"
