#!/usr/bin/env bash
# `ferry pipeline watch --once` with an alert trigger: a logistic model packaged with a
# reference profile is served by `ferry server --deploy` with live monitoring (windows of 200
# rows, as tests/e2e/monitor_live.sh); traffic with x1 shifted by 1.5 sigma fires data_drift;
# the server's signed monitoring_alert.firing webhook reaches the watcher, whose run records
# the trigger (run.json and the MLflow tag ferry.pipeline.trigger); the webhook is deleted
# when the watch ends.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pipeline_triggers_lib.sh"
HERE=$(cd "$(dirname "$0")/monitor_live" && pwd)
cd "$WORK"

echo "--- a served model with a reference profile"
churn_package "$HERE"
start_server --webhook-allow-hosts 127.0.0.1
"$FERRY" models register churn --package ref.oci --tracking-uri "$URL" >reg.log 2>&1 ||
  fail "register: $(cat reg.log)"
"$FERRY" models alias churn champion 1 --tracking-uri "$URL" >/dev/null || fail "alias"
stop_server
start_server --webhook-allow-hosts 127.0.0.1 --deploy models:/churn@champion \
  --monitor-window-rows 200 --monitor-alert-after 2 --monitor-clear-after 2
for _ in $(seq 1 200); do
  curl -fsS "$URL/api/ferry/v1/monitoring/deployments" | json 'j.deployments.length' |
    has -x 1 && break
  sleep 0.1
done

echo "--- the watcher: an alert trigger for churn's drift"
mkdir loop
cat >loop/pipeline.yaml <<YAML
name: retrain
tracking_uri: $URL
triggers:
  - alert: {deployment: other, type: any}
  - alert: {deployment: churn, type: drift}
steps:
  retrain: {kind: command, argv: [echo, retraining], cache: false}
YAML
start_watch loop/pipeline.yaml --once
grep -q "monitoring_alert.firing" watch.err || fail "not subscribed: $(cat watch.err)"

echo "--- drifting traffic: the alert fires, the run starts and succeeds"
python3 "$HERE/traffic.py" "$URL" churn 30 20 1.5 8 shift shift_labels.json || fail "traffic"
wait_exit "$WATCH_PID" "watch --once on an alert"
WATCH_PID=""
[[ $EXIT_CODE == 0 ]] || fail "watch exited $EXIT_CODE: $(cat watch.err)"
trigger=$("$FERRY" pipeline status -f loop/pipeline.yaml --format json | json 'j.trigger')
[[ $trigger == "monitoring_alert: data_drift on churn (window "*", columns x1)" ]] ||
  fail "trigger: $trigger"
exp=$(api GET "experiments/get-by-name?experiment_name=pipeline-retrain" |
  json 'j.experiment.experiment_id')
runs=$(api POST runs/search '{"experiment_ids": ["'"$exp"'"]}')
tag=$(json "j.runs.map(r => (r.data.tags || []).find(t => t.key === 'ferry.pipeline.trigger'))
  .filter(t => t).map(t => t.value).join()" <<<"$runs")
[[ $tag == "monitoring_alert: data_drift on churn"* ]] || fail "MLflow tag: $tag ($runs)"
hooks=$(curl -fsS "$URL/api/ferry/v1/webhooks")
[[ $(json '(j.webhooks || []).length' <<<"$hooks") == 0 ]] || fail "webhook left behind: $hooks"
stop_server
echo "PASS: pipeline alert trigger"
