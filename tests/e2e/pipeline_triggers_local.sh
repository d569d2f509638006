#!/usr/bin/env bash
# `ferry pipeline watch` with the triggers it evaluates itself, no server: a data trigger
# fires when the watched file changes (and not before), `--once` exits with the run's
# status; a schedule driven by the test-only FERRY_WATCH_CLOCK_FILE fires at its cron time
# (and not before); a second change within the cooldown waits for it; SIGTERM cancels the
# active run and exits 0; a pipeline without triggers and a malformed trigger are refused.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pipeline_triggers_lib.sh"
cd "$WORK"

echo "--- data: a change of the watched file starts one run"
mkdir data
printf 'a\nb\n' >data/sessions.csv
cat >data/pipeline.yaml <<'YAML'
name: fresh
triggers:
  - data: sessions.csv
    poll: 1s
steps:
  count:
    kind: command
    argv: [sh, -c, "wc -l < ${inputs.s} > ${outputs.n}"]
    inputs: {s: sessions.csv}
    outputs: [n]
YAML
start_watch data/pipeline.yaml --once
sleep 1.5  # a poll or more with the file unchanged
! grep -q "trigger fired" watch.err || fail "fired without a change: $(cat watch.err)"
printf 'c\n' >>data/sessions.csv
wait_exit "$WATCH_PID" "watch --once on data"
code=$EXIT_CODE
WATCH_PID=""
[[ $code == 0 ]] || fail "watch --once exited $code: $(cat watch.err)"
digest=sha256:$(sha256sum data/sessions.csv | cut -c1-12)
grep -q "trigger fired: new_data: sessions.csv $digest" watch.err || fail "$(cat watch.err)"
rec=$("$FERRY" pipeline status -f data/pipeline.yaml --format json)
[[ $(json 'j.state+" "+j.trigger' <<<"$rec") == "succeeded new_data: sessions.csv $digest" ]] ||
  fail "run record: $rec"
grep -q "run .* (fresh): succeeded" watch.out || fail "no summary on stdout: $(cat watch.out)"
[[ $("$FERRY" pipeline list -f data/pipeline.yaml | wc -l) == 2 ]] || fail "not exactly one run"

echo "--- --once exits 1 when the triggered run fails"
cat >data/failing.yaml <<'YAML'
name: failing
triggers:
  - data: sessions.csv
    poll: 1s
steps:
  boom: {kind: command, argv: ["false"]}
YAML
start_watch data/failing.yaml --once
printf 'd\n' >>data/sessions.csv
wait_exit "$WATCH_PID" "watch --once on a failing pipeline"
code=$EXIT_CODE
WATCH_PID=""
[[ $code == 1 ]] || fail "a failed run should exit 1, got $code: $(cat watch.err)"
grep -q "run .* failed" watch.err || fail "$(cat watch.err)"

echo "--- schedule: fires at its cron time on the watcher's clock"
mkdir cron
cat >cron/pipeline.yaml <<'YAML'
name: nightly
triggers:
  - schedule: "*/5 * * * *"
steps:
  hello: {kind: command, argv: [echo, hello], cache: false}
YAML
echo 1796624550 >clock  # 2026-12-07 06:22:30 UTC
FERRY_WATCH_CLOCK_FILE=$WORK/clock start_watch cron/pipeline.yaml --once
echo 1796624699 >clock  # 06:24:59: not yet
sleep 0.6               # three looks at the clock
! grep -q "trigger fired" watch.err || fail "fired before its time: $(cat watch.err)"
echo 1796624700 >clock  # 06:25:00
wait_exit "$WATCH_PID" "watch --once on a schedule"
code=$EXIT_CODE
WATCH_PID=""
[[ $code == 0 ]] || fail "schedule run exited $code: $(cat watch.err)"
trigger=$("$FERRY" pipeline status -f cron/pipeline.yaml --format json | json 'j.trigger')
[[ $trigger == "schedule: */5 * * * * (due 2026-12-07T06:25Z)" ]] || fail "trigger: $trigger"

echo "--- cooldown: a second change waits until 10 minutes after the first run started"
mkdir cool
printf '1\n' >cool/d.csv
cat >cool/pipeline.yaml <<'YAML'
name: cool
cooldown: 10m
triggers:
  - data: d.csv
    poll: 1s
steps:
  hello: {kind: command, argv: [echo, hello], cache: false}
YAML
echo 1796624550 >clock
FERRY_WATCH_CLOCK_FILE=$WORK/clock start_watch cool/pipeline.yaml
printf '2\n' >>cool/d.csv
echo 1796624551 >clock  # the next poll sees the change: run 1
wait_count watch.err "run .* succeeded" 1 "the first run"
printf '3\n' >>cool/d.csv
echo 1796624560 >clock  # changed again, 9 s after run 1 started
wait_for watch.err "cooldown: the run waits" "the cooldown"
sleep 0.6               # three looks at the clock
[[ $(grep -c "started (" watch.err) == 1 ]] || fail "cooldown ignored: $(cat watch.err)"
echo 1796625151 >clock  # 600 s after run 1 started
wait_count watch.err "run .* succeeded" 2 "the run after the cooldown"
kill -TERM "$WATCH_PID"
wait_exit "$WATCH_PID" "watch after SIGTERM"
WATCH_PID=""
[[ $EXIT_CODE == 0 ]] || fail "SIGTERM: exit $EXIT_CODE"

echo "--- SIGTERM ends a watch with exit 0, cancelling its active run"
mkdir hang
printf '1\n' >hang/d.csv
cat >hang/pipeline.yaml <<'YAML'
name: hang
triggers:
  - data: d.csv
    poll: 1s
steps:
  wait: {kind: command, argv: [sleep, "300"], cache: false}
YAML
start_watch hang/pipeline.yaml
printf '2\n' >>hang/d.csv
wait_for watch.err "run .* started" "the hanging run"
kill -TERM "$WATCH_PID"
wait_exit "$WATCH_PID" "watch after SIGTERM"
code=$EXIT_CODE
WATCH_PID=""
[[ $code == 0 ]] || fail "SIGTERM: exit $code"
[[ $("$FERRY" pipeline status -f hang/pipeline.yaml --format json | json 'j.state') == cancelled ]] ||
  fail "the active run was not cancelled: $("$FERRY" pipeline status -f hang/pipeline.yaml)"

echo "--- refused: no triggers, a malformed trigger"
cat >plain.yaml <<'YAML'
name: plain
steps:
  a: {kind: command, argv: ["true"]}
YAML
"$FERRY" pipeline watch -f plain.yaml 2>err.txt && fail "watch without triggers succeeded"
has "the pipeline has no triggers" err.txt || fail "$(cat err.txt)"
cat >bad.yaml <<'YAML'
name: bad
triggers:
  - schedule: "*/5 * * *"
  - alert: {deployment: recsys}
steps:
  a: {kind: command, argv: ["true"]}
YAML
"$FERRY" pipeline watch -f bad.yaml 2>err.txt && fail "a malformed trigger was accepted"
has "bad.yaml:3:15: triggers\[0\].schedule: " err.txt || fail "$(cat err.txt)"
sed -i 's/\*\/5 \* \* \*"/*\/5 * * * *"/' bad.yaml
"$FERRY" pipeline watch -f bad.yaml 2>err.txt && fail "an alert trigger without tracking_uri"
has "bad.yaml:4:5: triggers\[1\]: an alert trigger needs the pipeline's tracking_uri" err.txt ||
  fail "$(cat err.txt)"
echo "PASS: pipeline data and schedule triggers"
