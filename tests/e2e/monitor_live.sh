#!/usr/bin/env bash
# Live monitoring with real processes: a logistic model packaged with a reference profile
# (`ferry package build --reference-data`) is registered and served by `ferry server --deploy`
# with windows of 200 rows. Reference-like traffic raises no alert; traffic with x1 shifted by
# 1.5 sigma fires data_drift (log line, gauge on /metrics, monitoring_alert.firing webhook naming
# x1); labels posted for the first windows give them accuracy and ROC AUC. Then `ferry serve`
# of the same package answers the endpoints, time windows close without traffic, and
# --monitor off removes the endpoints.
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")/monitor_live" && pwd)
cd "$WORK"

mon() { curl -sS "$1/api/ferry/v1/monitoring/$2"; }
post_labels() {  # URL FILE -> the answer; fails on non-200
  local out
  out=$(curl -sS -w '\n%{http_code}' -XPOST -H 'Content-Type: application/json' --data @"$2" \
    "$1/api/ferry/v1/monitoring/labels")
  [[ ${out##*$'\n'} == 200 ]] || fail "labels -> ${out}"
  printf '%s' "${out%$'\n'*}"
}

echo "--- a package with a reference profile"
churn_package "$HERE"

echo "--- registered, with a webhook on monitoring alerts"
start_server --webhook-allow-hosts 127.0.0.1
"$FERRY" models register churn --package ref.oci --tracking-uri "$URL" >reg.log 2>&1 ||
  fail "register: $(cat reg.log)"
"$FERRY" models alias churn champion 1 --tracking-uri "$URL" >/dev/null || fail "alias"
cat >receiver.py <<'PY'
import http.server, sys
log = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(log, "a") as f:
            f.write(body.decode() + "\n")
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(log + ".port", "w").write(str(s.server_address[1]))
s.serve_forever()
PY
python3 receiver.py "$WORK/hook.log" &
EXTRA_CLEANUP+=("kill $!")
for _ in $(seq 1 100); do [[ -s hook.log.port ]] && break; sleep 0.05; done
hook=$(curl -sS -XPOST -H 'Content-Type: application/json' "$URL/api/ferry/v1/webhooks" \
  --data '{"url": "http://127.0.0.1:'"$(cat hook.log.port)"'/hook",
           "events": ["monitoring_alert.firing", "monitoring_alert.resolved"]}')
[[ $(json 'j.webhook.events.length' <<<"$hook") == 2 ]] || fail "webhook: $hook"
stop_server

echo "--- ferry server --deploy models:/churn@champion, windows of 200 rows"
start_server --webhook-allow-hosts 127.0.0.1 --deploy models:/churn@champion \
  --monitor-window-rows 200 --monitor-alert-after 2 --monitor-clear-after 2
for _ in $(seq 1 200); do
  [[ $(mon "$URL" deployments | json 'j.deployments.length') == 1 ]] && break
  sleep 0.1
done
deps=$(mon "$URL" deployments)
[[ $(json '[j.deployments[0].deployment, j.deployments[0].version, j.deployments[0].reference,
  j.deployments[0].monitored, j.deployments[0].window_rows].join(" ")' <<<"$deps") == \
  "churn 1 true true 200" ]] || fail "deployments: $deps"

python3 "$HERE/traffic.py" "$URL" churn 30 20 0 7 ref ref_labels.json || fail "reference traffic"
sleep 0.5
windows=$(mon "$URL" "deployments/churn/windows?max_results=10")
[[ $(json 'j.windows.length' <<<"$windows") == 3 ]] || fail "3 windows expected: $windows"
[[ $(json 'j.windows[0].index' <<<"$windows") == 2 ]] || fail "latest first: $windows"
[[ $(json 'j.windows[0].compared_with' <<<"$windows") == reference ]] || fail "$windows"
alerts=$(mon "$URL" deployments/churn/alerts)
[[ $(json 'j.alerts.active.indexOf("data_drift")' <<<"$alerts") == -1 ]] ||
  fail "data drift alert on reference-like traffic: $alerts"
curl -fsS "$URL/metrics" >metrics1.txt
grep -q '^ferry_monitoring_alert_active{deployment="churn",kind="data_drift"} 0$' metrics1.txt ||
  fail "gauge before the shift: $(grep ferry_monitoring metrics1.txt)"

echo "--- shifted traffic: the alert fires"
python3 "$HERE/traffic.py" "$URL" churn 30 20 1.5 8 shift shift_labels.json || fail "shifted traffic"
for _ in $(seq 1 50); do
  alerts=$(mon "$URL" deployments/churn/alerts)
  [[ $(json 'j.alerts.active.indexOf("data_drift")' <<<"$alerts") != -1 ]] && break
  sleep 0.1
done
[[ $(json 'j.alerts.active.indexOf("data_drift")' <<<"$alerts") != -1 ]] || fail "no alert: $alerts"
ev=$(json 'j.alerts.events.find(e=>e.kind==="data_drift")' <<<"$alerts")
[[ $(json 'j.state+" "+j.columns.join(",")+" "+j.stattests.join(",")' <<<"$ev") == \
  "firing x1 sketch_ks" ]] || fail "alert event: $ev"
curl -fsS "$URL/metrics" >metrics2.txt
grep -q '^ferry_monitoring_alert_active{deployment="churn",kind="data_drift"} 1$' metrics2.txt ||
  fail "alert gauge did not move: $(grep ferry_monitoring metrics2.txt)"
grep -q '^ferry_monitoring_column_drift_detected{deployment="churn",column="x1"} 1$' metrics2.txt ||
  fail "column gauge: $(grep ferry_monitoring_column metrics2.txt)"
grep -q 'msg=monitoring_alert deployment=churn kind=data_drift state=firing columns=x1' \
  "$WORK/server.log" || fail "no alert log line"
for _ in $(seq 1 100); do grep -q '"action":"firing"' hook.log 2>/dev/null && break; sleep 0.1; done
hook_body=$(grep '"kind":"data_drift"' hook.log | head -1)
[[ -n $hook_body ]] || fail "no webhook delivered: $(cat hook.log 2>/dev/null)"
[[ $(json '[j.entity, j.action, j.data.deployment, j.data.columns.join(",")].join(" ")' \
  <<<"$hook_body") == "monitoring_alert firing churn x1" ]] || fail "webhook body: $hook_body"

echo "--- labels: quality per window"
node -e 'const l=require("./ref_labels.json");
  console.log(JSON.stringify({deployment:"churn",labels:l.slice(0,400)}))' >labels.json
got=$(post_labels "$URL" labels.json)
[[ $(json 'j.matched+" "+j.unknown+" "+j.duplicate' <<<"$got") == "400 0 0" ]] || fail "labels: $got"
got=$(post_labels "$URL" labels.json)
[[ $(json 'j.matched+" "+j.duplicate' <<<"$got") == "0 400" ]] || fail "duplicates: $got"
printf '{"deployment":"churn","labels":[{"request_id":"nope","label":1}]}' >unknown.json
[[ $(post_labels "$URL" unknown.json | json 'j.unknown') == 1 ]] || fail "unknown id not counted"
windows=$(mon "$URL" "deployments/churn/windows?max_results=100")
q=$(json 'j.windows.find(w=>w.index===0).quality' <<<"$windows")
[[ $(json 'j.labelled' <<<"$q") == 200 ]] || fail "window 0 quality: $q"
node -e "const q=$q; process.exit(q.accuracy > 0.85 && q.roc_auc > 0.9 ? 0 : 1)" ||
  fail "accuracy / ROC AUC: $q"
curl -fsS "$URL/metrics" >metrics3.txt
grep -q '^ferry_monitoring_quality{deployment="churn",metric="accuracy"}' metrics3.txt ||
  fail "no quality gauge"
code=$(curl -sS -o err.json -w '%{http_code}' -XPOST -H 'Content-Type: application/json' \
  --data '{"deployment":"churn","labels":[{"request_id":"a","label":1},{"label":2}]}' \
  "$URL/api/ferry/v1/monitoring/labels")
[[ $code == 400 ]] && grep -q 'labels\[1\].request_id: missing' err.json ||
  fail "bad label -> $code $(cat err.json)"
stop_server

echo "--- ferry serve: the same endpoints"
"$FERRY" serve ref.oci --port 0 --no-access-log --monitor-window-rows 100 >serve.out 2>serve.log &
SERVE_PID=$!
ALL_SERVER_PIDS+=("$SERVE_PID")
for _ in $(seq 1 200); do grep -q "^Serving" serve.out && break; sleep 0.05; done
S="http://127.0.0.1:$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve.out)"
for _ in $(seq 1 50); do
  [[ $(mon "$S" deployments | json 'j.deployments.length') == 1 ]] && break
  sleep 0.1
done
[[ $(mon "$S" deployments | json 'j.deployments[0].reference') == true ]] || fail "serve: no reference"
python3 "$HERE/traffic.py" "$S" churn 10 20 0 9 s s_labels.json || fail "serve traffic"
node -e 'const l=require("./s_labels.json");
  console.log(JSON.stringify({deployment:"churn",labels:l}))' >slabels.json
[[ $(post_labels "$S" slabels.json | json 'j.matched') == 200 ]] || fail "serve labels"
[[ $(mon "$S" "deployments/churn/windows" | json 'j.windows.length') == 2 ]] || fail "serve windows"
code=$(curl -sS -o err.json -w '%{http_code}' "$S/api/ferry/v1/monitoring/deployments/nope/alerts")
[[ $code == 404 ]] && grep -q RESOURCE_DOES_NOT_EXIST err.json || fail "unknown: $code $(cat err.json)"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve exited with $? on SIGTERM"

echo "--- time windows close without traffic"
"$FERRY" serve ref.oci --port 0 --no-access-log --monitor-window-rows 0 \
  --monitor-window-seconds 1 >serve3.out 2>serve3.log &
SERVE_PID=$!
ALL_SERVER_PIDS+=("$SERVE_PID")
for _ in $(seq 1 200); do grep -q "^Serving" serve3.out && break; sleep 0.05; done
S="http://127.0.0.1:$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve3.out)"
for _ in $(seq 1 50); do
  [[ $(mon "$S" deployments | json 'j.deployments.length') == 1 ]] && break
  sleep 0.1
done
python3 "$HERE/traffic.py" "$S" churn 5 20 0 10 t t_labels.json || fail "time-window traffic"
for _ in $(seq 1 50); do
  w=$(mon "$S" "deployments/churn/windows?max_results=1000")
  [[ $(json 'j.windows.reduce((a,w)=>a+w.rows,0)' <<<"$w") == 100 ]] && break
  sleep 0.1
done
# The 100 rows are in closed windows (one, or two if a boundary fell inside the traffic).
[[ $(json 'j.windows.reduce((a,w)=>a+w.rows,0)' <<<"$w") == 100 ]] ||
  fail "the time windows with the 100 rows did not close: $w"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve exited with $? on SIGTERM"

"$FERRY" serve ref.oci --port 0 --no-access-log --monitor off >serve2.out 2>serve2.log &
SERVE_PID=$!
ALL_SERVER_PIDS+=("$SERVE_PID")
for _ in $(seq 1 200); do grep -q "^Serving" serve2.out && break; sleep 0.05; done
S="http://127.0.0.1:$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve2.out)"
code=$(curl -sS -o err.json -w '%{http_code}' "$S/api/ferry/v1/monitoring/deployments")
[[ $code == 404 ]] || fail "--monitor off still serves the endpoints: $code"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "serve exited with $? on SIGTERM"
set +e
"$FERRY" serve ref.oci --monitor-window-rows 0 2>err.txt; rc=$?
set -e
[[ $rc == 2 ]] && grep -q -- "--monitor-window-seconds" err.txt || fail "bad windows: rc=$rc $(cat err.txt)"
echo "PASS: live monitoring"
