#!/usr/bin/env bash
# `ferry pipeline watch` with registry triggers against a real `ferry server`: the watcher
# creates a signed webhook pointing at its own listener; forged deliveries (unsigned, bad
# signature) get 401 and start nothing; a version of another model starts nothing; the first
# version of `bc` starts a run whose trigger is recorded (run.json, MLflow tag); five more
# versions registered while that run is held active fold into exactly one more run, which
# records them all; SIGTERM ends the watch with exit 0 and deletes its webhook.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pipeline_triggers_lib.sh"
cd "$WORK"

"$FERRY" pipeline watch --help | has "^Usage: ferry pipeline watch" || fail "watch --help"
"$FERRY" pipeline --help | has "watch" || fail "pipeline --help lacks watch"

start_server --webhook-allow-hosts 127.0.0.1
mkdir reg
cat >reg/pipeline.yaml <<YAML
name: reg
tracking_uri: $URL
triggers:
  - registry: {event: model_version.created, model: bc}
steps:
  hold:
    kind: command
    cache: false
    argv: [sh, -c, "i=0; while [ ! -f $WORK/release ]; do i=\$((i+1)); [ \$i -gt 3000 ] && exit 3; sleep 0.1; done"]
YAML

start_watch reg/pipeline.yaml
url=$(sed -n 's/.*listening for webhooks on \([^ ]*\) (webhook \([0-9a-f]*\).*/\1/p' watch.err)
hook=$(sed -n 's/.*listening for webhooks on \([^ ]*\) (webhook \([0-9a-f]*\).*/\2/p' watch.err)
[[ $url == http://127.0.0.1:*/webhook && ${#hook} == 32 ]] || fail "listener line: $(cat watch.err)"
hooks=$(curl -fsS "$URL/api/ferry/v1/webhooks")
[[ $(json "j.webhooks.filter(h=>h.id==='$hook').map(h=>h.url+' '+h.events.join()+' '+h.has_secret).join()" \
  <<<"$hooks") == "$url model_version.created true" ]] || fail "webhook on the server: $hooks"

echo "--- forged deliveries are refused"
body='{"entity":"model_version","action":"created","timestamp":"t","data":{"name":"bc","version":"9"}}'
code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST -H 'Content-Type: application/json' \
  --data "$body" "$url")
[[ $code == 401 ]] || fail "unsigned delivery -> $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST -H 'Content-Type: application/json' \
  -H 'X-MLflow-Delivery-Id: forged-1' -H "X-MLflow-Timestamp: $(date +%s)" \
  -H 'X-MLflow-Signature: v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' --data "$body" "$url")
[[ $code == 401 ]] || fail "badly signed delivery -> $code"
[[ $(grep -c "refused a webhook" watch.err) == 2 ]] || fail "refusals not reported: $(cat watch.err)"

echo "--- another model starts nothing; bc v1 starts a run"
"$FERRY" models register other --source s3://models/other/1 --tracking-uri "$URL" >/dev/null ||
  fail "register other"
"$FERRY" models register bc --source s3://models/bc/1 --tracking-uri "$URL" >/dev/null ||
  fail "register bc"
wait_for watch.err "run .* started \\(registry: model_version.created bc v1\\)" "the first run"
! grep -q "other" watch.err || fail "a delivery for another model fired: $(cat watch.err)"

echo "--- five more versions while the run is active: one more run"
for v in 2 3 4 5 6; do
  "$FERRY" models register bc --source "s3://models/bc/$v" --tracking-uri "$URL" >/dev/null ||
    fail "register bc $v"
done
wait_count watch.err "trigger fired: registry: model_version.created bc" 6 "six firings"
[[ $(grep -c "started (" watch.err) == 1 ]] || fail "a second run started early: $(cat watch.err)"
touch release
wait_count watch.err "run .* succeeded" 2 "two runs"
kill -TERM "$WATCH_PID"
wait "$WATCH_PID" || fail "watch exited with $? on SIGTERM: $(cat watch.err)"
WATCH_PID=""
[[ $(grep -c "started (" watch.err) == 2 ]] || fail "not exactly 2 runs: $(cat watch.err)"
[[ $("$FERRY" pipeline list -f reg/pipeline.yaml | wc -l) == 3 ]] ||
  fail "list: $("$FERRY" pipeline list -f reg/pipeline.yaml)"
second=$("$FERRY" pipeline list -f reg/pipeline.yaml | awk 'NR==2 {print $1}')
rec=$("$FERRY" pipeline status "$second" -f reg/pipeline.yaml --format json)
[[ $(json 'j.trigger+" | "+j.folded_triggers.join(" | ")' <<<"$rec") == \
  "registry: model_version.created bc v2 | registry: model_version.created bc v3 | registry: model_version.created bc v4 | registry: model_version.created bc v5 | registry: model_version.created bc v6" ]] ||
  fail "second run's triggers: $rec"
"$FERRY" pipeline status "$second" -f reg/pipeline.yaml | has "and 4 more that fired" ||
  fail "status lacks the folded triggers"
"$FERRY" pipeline list -f reg/pipeline.yaml | has "registry: model_version.created bc v2 (+4)" ||
  fail "list lacks the trigger: $("$FERRY" pipeline list -f reg/pipeline.yaml)"

echo "--- the MLflow runs carry the trigger; the webhook is gone"
exp=$(api GET "experiments/get-by-name?experiment_name=pipeline-reg" | json 'j.experiment.experiment_id')
runs=$(api POST runs/search '{"experiment_ids": ["'"$exp"'"]}')
[[ $(json "j.runs.filter(r => (r.data.tags || []).some(t => t.key === 'ferry.pipeline.trigger' &&
  t.value.startsWith('registry: model_version.created bc v'))).length" <<<"$runs") == 2 ]] ||
  fail "MLflow runs with the trigger tag: $runs"
hooks=$(curl -fsS "$URL/api/ferry/v1/webhooks")
[[ $(json '(j.webhooks || []).length' <<<"$hooks") == 0 ]] || fail "webhook left behind: $hooks"
stop_server
echo "PASS: pipeline registry triggers"
