#!/usr/bin/env bash
# Live monitoring's history survives a kill -9: `ferry server --deploy` closes windows of 200
# rows (reference-like, then shifted traffic that fires data_drift, then labels for window 0),
# is killed with SIGKILL and restarted on the same data dir; the windows and alert events it
# answers are the same, the alert is still active (and does not fire a second time), window
# numbering goes on, and a torn last line in the history file is skipped.
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")/monitor_live" && pwd)
cd "$WORK"

mon() { curl -sS "$URL/api/ferry/v1/monitoring/$1"; }
DEPLOY=(--deploy models:/churn@champion --monitor-window-rows 200 --monitor-alert-after 2
  --monitor-clear-after 2)
wait_deployed() {
  for _ in $(seq 1 200); do
    [[ $(mon deployments | json 'j.deployments.length') == 1 ]] && return 0
    sleep 0.1
  done
  fail "the deployment did not come up: $(mon deployments)"
}

echo "--- a package with a reference profile, registered"
churn_package "$HERE"
start_server
"$FERRY" models register churn --package ref.oci --tracking-uri "$URL" >reg.log 2>&1 ||
  fail "register: $(cat reg.log)"
"$FERRY" models alias churn champion 1 --tracking-uri "$URL" >/dev/null || fail "alias"
stop_server

echo "--- windows, an alert and labels"
start_server "${DEPLOY[@]}"
wait_deployed
python3 "$HERE/traffic.py" "$URL" churn 20 20 0 7 ref ref_labels.json || fail "reference traffic"
python3 "$HERE/traffic.py" "$URL" churn 30 20 1.5 8 shift shift_labels.json || fail "shifted traffic"
for _ in $(seq 1 100); do
  [[ $(mon deployments/churn/alerts | json 'j.alerts.active.indexOf("data_drift")') != -1 ]] && break
  sleep 0.1
done
node -e 'const l=require("./ref_labels.json");
  console.log(JSON.stringify({deployment:"churn",labels:l.slice(0,200)}))' >labels.json
got=$(curl -sS -XPOST -H 'Content-Type: application/json' --data @labels.json \
  "$URL/api/ferry/v1/monitoring/labels")
[[ $(json 'j.matched' <<<"$got") == 200 ]] || fail "labels: $got"
windows=$(mon "deployments/churn/windows?max_results=100")
alerts=$(mon deployments/churn/alerts)
[[ $(json 'j.windows.map(w=>w.index).join(",")' <<<"$windows") == "4,3,2,1,0" ]] ||
  fail "5 windows expected: $windows"
[[ $(json 'j.windows[4].quality.labelled' <<<"$windows") == 200 ]] || fail "window 0 quality"
[[ $(json 'j.alerts.events.filter(e=>e.kind==="data_drift"&&e.state==="firing").length' \
  <<<"$alerts") == 1 ]] || fail "one data_drift firing expected: $alerts"
history="$WORK/data/artifacts/monitoring/churn.jsonl"
[[ -s $history ]] || fail "no history file at $history"

echo "--- kill -9, restart: the same windows and alerts"
kill9_server
start_server "${DEPLOY[@]}"
wait_deployed
[[ $(mon "deployments/churn/windows?max_results=100") == "$windows" ]] ||
  fail "windows differ after the restart: $(mon "deployments/churn/windows?max_results=100")"
[[ $(mon deployments/churn/alerts) == "$alerts" ]] ||
  fail "alerts differ after the restart: $(mon deployments/churn/alerts)"
curl -fsS "$URL/metrics" >metrics.txt
grep -q '^ferry_monitoring_alert_active{deployment="churn",kind="data_drift"} 1$' metrics.txt ||
  fail "alert gauge after the restart: $(grep ferry_monitoring_alert metrics.txt)"
grep -q 'msg=monitoring_history_restored deployment=churn windows=5' "$WORK/server.log" ||
  fail "no monitoring_history_restored log line"

echo "--- still shifted: numbering goes on, no second firing"
python3 "$HERE/traffic.py" "$URL" churn 20 20 1.5 9 more more_labels.json || fail "traffic"
for _ in $(seq 1 100); do  # the worker may still be on the last records
  w=$(mon "deployments/churn/windows?max_results=100")
  [[ $(json 'j.windows.length' <<<"$w") == 7 ]] && break
  sleep 0.1
done
[[ $(json 'j.windows.map(w=>w.index).join(",")' <<<"$w") == "6,5,4,3,2,1,0" ]] ||
  fail "numbering after the restart: $w"
a=$(mon deployments/churn/alerts)
[[ $(json 'j.alerts.events.filter(e=>e.kind==="data_drift"&&e.state==="firing").length' <<<"$a") \
  == 1 ]] || fail "the alert fired again after the restart: $a"

echo "--- a torn last line is skipped"
kill9_server
printf '{"v":1,"version":"1","window":{"index":7,"ro' >>"$history"
start_server "${DEPLOY[@]}"
wait_deployed
[[ $(mon "deployments/churn/windows?max_results=100" | json 'j.windows.length') == 7 ]] ||
  fail "windows after a torn line: $(mon "deployments/churn/windows?max_results=100")"
grep -q 'msg=monitoring_history_skipped deployment=churn lines=1' "$WORK/server.log" ||
  fail "the torn line was not reported"
[[ $(tail -c 1 "$history" | od -An -c | tr -d ' ') == '\n' ]] || fail "the torn tail is still there"
stop_server
echo "PASS: live monitoring history across kill -9"
