#!/usr/bin/env bash
# `ferry maturity --server`: against a running `ferry server` where a model is registered with
# aliases and several versions (rollback: Infra 7), versions tagged by a gate and a
# promotion (Model 5, Infra 6), and a project pipeline recorded as MLflow runs (metadata);
# an unreachable server is reported, not fatal.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

start_server
"$FERRY" init proj >/dev/null 2>&1 || fail "init"
"$FERRY" pipeline run -f proj/pipeline.yaml --tracking-uri "$URL" >run.log 2>&1 ||
  { cat run.log; fail "pipeline run with tracking"; }

echo "--- a project and a server without a registered model"
"$FERRY" maturity proj --server "$URL" --format json >m0.json || fail "maturity"
[[ $(json 'j.server.reached' <m0.json) == true ]] || fail "server: $(cat m0.json)"
[[ $(json 'j.tests.find(t=>t.id=="Infra 7").score' <m0.json) == 0 ]] || fail "Infra 7 without models"
[[ $(json 'j.characteristics.find(c=>c.name.startsWith("Metadata")).evidence' <m0.json) == \
  *"MLflow run "* ]] || fail "pipeline MLflow runs not seen: $(cat m0.json)"

echo "--- two versions with aliases, a gate and a promotion tag"
for l2 in 1 10; do
  "$FERRY" train logistic --data proj/data/train.csv --target target --register bc \
    --param l2=$l2 --tracking-uri "$URL" -o bc$l2.oci >train$l2.log 2>&1 ||
    { cat train$l2.log; fail "train l2=$l2"; }
done
"$FERRY" models alias bc champion 1 --tracking-uri "$URL" >/dev/null || fail "alias champion"
"$FERRY" models alias bc challenger 2 --tracking-uri "$URL" >/dev/null || fail "alias challenger"
"$FERRY" maturity proj --server "$URL" --format json >m1.json || fail "maturity 1"
I7=$(json 'j.tests.find(t=>t.id=="Infra 7")' <m1.json)
[[ $(json 'j.score' <<<"$I7") == 0.5 ]] || fail "Infra 7: $I7"
[[ $(json 'j.evidence' <<<"$I7") == *"model bc (2 versions, aliases "*"champion=1"* ]] ||
  fail "Infra 7 evidence: $I7"
[[ $(json 'j.characteristics.find(c=>c.name.startsWith("Model registry")).met' <m1.json) == \
  true ]] || fail "registry characteristic"

api POST model-versions/set-tag '{"name":"bc","version":"2","key":"ferry.gate","value":"passed"}' \
  >/dev/null
api POST model-versions/set-tag \
  '{"name":"bc","version":"2","key":"ferry.promotion","value":"promoted"}' >/dev/null
"$FERRY" maturity proj --server "$URL" >m2.txt || fail "maturity text"
grep -A1 "^Model 5 *1.0" m2.txt | has "found: .*versions 2 tagged ferry.gate" ||
  fail "Model 5: $(cat m2.txt)"
grep -A1 "^Infra 6 *1.0" m2.txt | has "ferry.promotion" || fail "Infra 6: $(cat m2.txt)"
grep -q "^Infra 7 *1.0" m2.txt || fail "Infra 7 with automated rollback: $(cat m2.txt)"
grep -q "^Server: $URL$" m2.txt || fail "server line: $(head -3 m2.txt)"

echo "--- an unreachable server is reported"
"$FERRY" maturity proj --server http://127.0.0.1:1 --format json >m3.json ||
  fail "maturity with an unreachable server failed"
[[ $(json 'j.server.reached' <m3.json) == false ]] || fail "unreachable: $(cat m3.json)"
[[ -n $(json 'j.server.error' <m3.json) ]] || fail "no error for the unreachable server"
echo "PASS"
