#!/usr/bin/env bash
# `ferry init`: both templates run end to end as created (`ferry pipeline run`), a second
# run is all cache hits; a non-empty directory is refused without --force; `ferry maturity`
# on the new project, as text and JSON (no server).
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$FERRY" init --help | has "^Usage: ferry init" || fail "init --help"
"$FERRY" maturity --help | has "^Usage: ferry maturity" || fail "maturity --help"
"$FERRY" --help | has "^  init " || fail "init missing from ferry --help"

echo "--- tabular: written, runs, second run all cache hits"
"$FERRY" init tab >init.log 2>&1 || { cat init.log; fail "init tabular"; }
for f in pipeline.yaml data/train.csv schema.json README.md .github/workflows/ferry.yml \
  .gitlab-ci.yml; do
  [[ -s tab/$f ]] || fail "tabular: no $f"
done
[[ $(wc -l <tab/data/train.csv) == 570 ]] || fail "tabular data: $(wc -l <tab/data/train.csv) lines"
grep -q "ferry pipeline run" tab/.github/workflows/ferry.yml || fail "CI snippet"
"$FERRY" pipeline run -f tab/pipeline.yaml >tab1.log 2>&1 || { cat tab1.log; fail "tabular run"; }
grep -q "3 steps: 3 ran, 0 cached, 0 failed" tab1.log || fail "tabular run: $(cat tab1.log)"
M=$(ls tab/.ferry/pipelines/runs/*/steps/evaluate/metrics.json)
[[ $(json 'j.metrics.accuracy > 0.9' <"$M") == true ]] || fail "tabular metrics: $(cat "$M")"
"$FERRY" pipeline run -f tab/pipeline.yaml >tab2.log 2>&1 || { cat tab2.log; fail "tabular rerun"; }
grep -q "3 steps: 0 ran, 3 cached" tab2.log || fail "tabular rerun: $(cat tab2.log)"

echo "--- a non-empty directory is refused unless --force; a bad template is a usage error"
! "$FERRY" init tab 2>refused.log || fail "init into a non-empty dir succeeded"
grep -q "tab is not empty (give --force" refused.log || fail "refusal: $(cat refused.log)"
"$FERRY" init --force tab >/dev/null 2>&1 || fail "init --force"
set +e
"$FERRY" init --template nope x 2>bad.log
rc=$?
set -e
[[ $rc == 2 ]] && grep -q "tabular or recommender" bad.log || fail "bad template: rc $rc $(cat bad.log)"
[[ ! -e x ]] || fail "a bad template wrote something"

echo "--- recommender: written, runs, second run all cache hits"
"$FERRY" init --template recommender rec >/dev/null 2>&1 || fail "init recommender"
for f in pipeline.yaml schema.json README.md .github/workflows/ferry.yml .gitlab-ci.yml; do
  [[ -s rec/$f ]] || fail "recommender: no $f"
done
if "$FERRY" data --help >/dev/null 2>&1; then
  export PATH="$(dirname "$FERRY"):$PATH"  # the sessions step runs `ferry data sessions`
  "$FERRY" pipeline run -f rec/pipeline.yaml >rec1.log 2>&1 || { cat rec1.log; fail "rec run"; }
  grep -q "4 steps: 4 ran, 0 cached, 0 failed" rec1.log || fail "rec run: $(cat rec1.log)"
  M=$(ls rec/.ferry/pipelines/runs/*/steps/evaluate/metrics.json)
  [[ $(json 'Object.keys(j.metrics).some(k=>k.startsWith("hit_rate_at_") && j.metrics[k] > 0.3)' \
    <"$M") == true ]] ||
    fail "recommender metrics: $(cat "$M")"
  "$FERRY" pipeline run -f rec/pipeline.yaml >rec2.log 2>&1 || { cat rec2.log; fail "rec rerun"; }
  grep -q "4 steps: 0 ran, 4 cached" rec2.log || fail "rec rerun: $(cat rec2.log)"
else
  echo "skip: this ferry has no \`ferry data\` (the recommender's sessions step needs it)"
fi

echo "--- ferry maturity on the tabular project: text and JSON"
"$FERRY" maturity tab >mat.txt || fail "maturity text"
grep -q "^Google MLOps level: 0" mat.txt || fail "level: $(head -6 mat.txt)"
grep -q "^ML Test Score: 0.0 (research project" mat.txt || fail "score: $(head -6 mat.txt)"
grep -A1 "^Data 1 *1.0" mat.txt | has "found: .*schema.json" || fail "Data 1: $(cat mat.txt)"
grep -A2 "^Infra 4 *0.5" mat.txt | has "missing: .*ferry gate" || fail "Infra 4: $(cat mat.txt)"
"$FERRY" maturity tab --format json >mat.json || fail "maturity json"
[[ $(json 'j.tests.length' <mat.json) == 28 ]] || fail "tests: $(cat mat.json)"
[[ $(json '[j.level, j.score, j.sections.Data, j.sections.Infra]' <mat.json) == "[0,0,1,3]" ]] ||
  fail "json level/score/sections: $(cat mat.json)"
[[ $(json 'j.tests.find(t=>t.id=="Infra 3").evidence' <mat.json) == *"ferry pipeline run"* ]] ||
  fail "Infra 3 evidence"
[[ $(json 'j.characteristics.find(c=>c.name.startsWith("Metadata")).met' <mat.json) == true ]] ||
  fail "run records not seen as metadata"
[[ $(json 'j.characteristics.find(c=>c.name.startsWith("At least one automatic")).evidence' \
  <mat.json) == *"cron schedule"* ]] || fail "CI schedule not seen as a trigger"

echo "--- in git, the model spec is under version control"
[[ $(json 'j.tests.find(t=>t.id=="Model 1").score' <mat.json) == 0 ]] || fail "Model 1 before git"
git init -q tab
"$FERRY" maturity tab --format json >mat2.json
[[ $(json 'j.tests.find(t=>t.id=="Model 1").score' <mat2.json) == 1 ]] || fail "Model 1 in git"

echo "--- an empty directory: level 0, score 0; a missing one is an error"
mkdir empty
"$FERRY" maturity empty --format json >empty.json
[[ $(json '[j.level, j.score, j.tests.every(t=>t.score==0)]' <empty.json) == "[0,0,true]" ]] ||
  fail "empty: $(cat empty.json)"
! "$FERRY" maturity nowhere 2>/dev/null || fail "maturity of a missing dir succeeded"
echo "PASS"
