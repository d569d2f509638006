#!/usr/bin/env bash
# `ferry demo --exit`, the README's main command, on a fresh directory: live monitoring detects
# the drift the changed catalogue causes, the pipeline retrains, gates, registers and promotes
# a new version through a canary with no failed request, and `ferry maturity` finds the
# project at MLOps level 2 with its evidence. Then its clear refusals: a busy port and a
# directory that is not an earlier demo's.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

"$FERRY" demo --help | has -- "--summary-json" || fail "ferry demo --help"

echo "--- the whole loop"
PORT=$(free_port)
start=$(date +%s)
rc=0
"$FERRY" demo --dir "$WORK/demo" --port "$PORT" --exit --summary-json summary.json >demo.out 2>&1 ||
  rc=$?
cat demo.out
((rc == 0)) || { tail -30 "$WORK/demo/logs/server.log"; fail "ferry demo exited $rc"; }
echo "wall time $(($(date +%s) - start)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
cat summary.json
[[ $(json 'j.drift_detected' <summary.json) == true ]] || fail "no drift detected"
[[ $(json 'j.drift.columns.length > 0 && j.drift.columns[0].statistic > j.drift.columns[0].threshold' <summary.json) == true ]] ||
  fail "the drift carries no statistic above its threshold"
[[ $(json 'Number(j.promoted_version) > Number(j.first_version)' <summary.json) == true ]] ||
  fail "no newer version promoted"
[[ $(json 'j.requests_failed' <summary.json) == 0 ]] || fail "requests failed"
[[ $(json 'j.requests_served > 500' <summary.json) == true ]] || fail "too few requests served"
[[ $(json 'j.new_version_requests > 0' <summary.json) == true ]] || fail "the new version answered nothing"
[[ $(json 'j.seconds < 180' <summary.json) == true ]] || fail "the demo took 3 minutes or more"
grep -q "^\[ *[0-9.]*s\] monitor   ALERT data_drift on recsys" demo.out || fail "no alert progress line"
grep -q "^Summary" demo.out || fail "no summary"

echo "--- ferry maturity: level 2 with its evidence"
M="$WORK/demo/logs/maturity.log"
[[ $(json 'j.level' <"$M") == 2 ]] || fail "maturity level $(json 'j.level' <"$M"): $(json 'j.characteristics.filter(c=>!c.met).map(c=>c.name).join("; ")' <"$M")"
[[ $(json 'j.maturity_level' <summary.json) == 2 ]] ||
  fail "summary maturity_level"
evidence() { json "j.characteristics.find(c=>c.name===$1).evidence" <"$M"; }
[[ $(evidence '"Monitoring triggers the pipeline"') == *monitor* ]] ||
  fail "monitoring trigger evidence: $(evidence '"Monitoring triggers the pipeline"')"
[[ $(json 'j.characteristics.every(c=>!c.met || c.evidence.length > 0)' <"$M") == true ]] ||
  fail "a met characteristic without evidence"
[[ $(json 'j.server.reached' <"$M") == true ]] || fail "maturity did not reach the server"
# The retraining run beside pipeline.yaml, and the versions on the registry's side.
"$FERRY" pipeline list -f "$WORK/demo/pipeline.yaml" >runs.out
cat runs.out
(($(grep -c succeeded runs.out) >= 2)) || fail "two succeeded pipeline runs expected"

echo "--- refusals"
mkdir other && echo x >other/file
rc=0
"$FERRY" demo --dir other --port "$(free_port)" --exit >other.out 2>&1 || rc=$?
((rc == 1)) || fail "a foreign non-empty dir: exit $rc"
grep -q "is not an earlier demo's directory" other.out || fail "$(cat other.out)"
[[ -f other/file ]] || fail "the foreign directory was changed"
start_server
rc=0
"$FERRY" demo --dir fresh --port "${URL##*:}" --exit >busy.out 2>&1 || rc=$?
((rc == 1)) || fail "a busy port: exit $rc"
grep -q "is in use" busy.out || fail "$(cat busy.out)"
[[ ! -e fresh/pipeline.yaml ]] || fail "a refused demo wrote its project"
stop_server
rc=0
"$FERRY" demo --port abc >usage.out 2>&1 || rc=$?
((rc == 2)) || fail "a bad --port: exit $rc"
echo "PASS"
