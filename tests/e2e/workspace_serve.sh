#!/usr/bin/env bash
# `ferry serve` in a workspace (docs/AUTH.md, Workspaces): `churn@prod` of team-a and of
# team-b, each trained with `ferry train --register` under its MLFLOW_WORKSPACE, served by two
# `ferry serve models:/churn@prod` processes resolving through one `ferry server
# --enable-workspaces`; each answers with its own workspace's model, and moving team-a's alias
# moves team-a's deployment only. Then the lineage API in a workspace: the graph of a version
# is its workspace's, another workspace's version and run answer 404; and listing packages/
# (every workspace's digests) is for admins only, while a package's own files stay readable.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
start_server --enable-workspaces
SRV=$URL
for ws in team-a team-b; do
  curl -fsS -X POST -H 'Content-Type: application/json' --data "{\"name\":\"$ws\"}" \
    "$SRV/api/3.0/mlflow/workspaces" >/dev/null || fail "create $ws"
done

# data NAME SIGN: 200 rows whose label is x1 > 0 (SIGN 1) or x1 < 0 (SIGN -1).
data() {
  awk -v s="$2" 'BEGIN { srand(7); print "x1,x2,y";
    for (i = 0; i < 200; i++) { x = rand() * 4 - 2; z = rand();
      printf "%.4f,%.4f,%d\n", x, z, (s * x > 0) ? 1 : 0 } }' >"$1"
}
data up.csv 1
data down.csv -1

# train WS DATA OUT: trains a logistic churn in workspace WS and registers it there.
train() {
  MLFLOW_WORKSPACE=$1 "$FERRY" train logistic --data "$2" --target y --register churn \
    --tracking-uri "$SRV" -o "$3" >"$3.log" 2>&1 || fail "train in $1: $(cat "$3.log")"
}
echo "--- churn v1 in team-a (x1 > 0) and in team-b (x1 < 0), both @prod"
train team-a up.csv a1.oci
train team-b down.csv b1.oci
for ws in team-a team-b; do
  MLFLOW_WORKSPACE=$ws "$FERRY" models alias churn prod 1 --tracking-uri "$SRV" >/dev/null ||
    fail "alias in $ws"
done
[[ $(curl -s -o /dev/null -w '%{http_code}' "$SRV/api/2.0/mlflow/registered-models/get?name=churn") == 404 ]] ||
  fail "churn leaked into default"

# serve WS VAR: starts `ferry serve models:/churn@prod` in WS; sets VAR to its URL.
serve() {
  local log=serve-$1
  MLFLOW_WORKSPACE=$1 "$FERRY" serve models:/churn@prod --port 0 --tracking-uri "$SRV" \
    --cache-dir cache --poll-seconds 1 --no-access-log >"$log.out" 2>"$log.err" &
  ALL_SERVER_PIDS+=("$!")
  eventually 20 grep -qs "^Serving" "$log.out" || fail "serve $1 did not start: $(cat "$log.err")"
  printf -v "$2" 'http://127.0.0.1:%s' "$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$log.out" | head -1)"
}
echo "--- two ferry serve processes, one per workspace"
serve team-a SA
serve team-b SB
ROWS='{"dataframe_split":{"columns":["x1","x2"],"data":[[1.5,0.5],[-1.5,0.5]]}}'
predict() {
  curl -fsS -X POST -H 'Content-Type: application/json' --data "$ROWS" "$1/invocations" |
    json 'j.predictions.map(Number).join(",")'
}
[[ $(predict "$SA") == 1,0 ]] || fail "team-a serves $(predict "$SA"), not its x1 > 0 model"
[[ $(predict "$SB") == 0,1 ]] || fail "team-b serves $(predict "$SB"), not its x1 < 0 model"

echo "--- team-a's alias moves to v2 (x1 < 0): team-a's deployment follows, team-b's stays"
train team-a down.csv a2.oci
MLFLOW_WORKSPACE=team-a "$FERRY" models alias churn prod 2 --tracking-uri "$SRV" >/dev/null ||
  fail "move team-a's alias"
team_a_moved() { [[ $(predict "$SA") == 0,1 ]]; }
eventually 30 team_a_moved || fail "team-a still serves $(predict "$SA") after the alias moved"
[[ $(predict "$SB") == 0,1 ]] || fail "team-b's deployment changed: $(predict "$SB")"
curl -fsS "$SB/v2/models/churn" | json 'j.versions.join(",")' | has -x 1 ||
  fail "team-b's version: $(curl -s "$SB/v2/models/churn")"

echo "--- lineage stays in the request's workspace"
A=(-H 'X-MLFLOW-WORKSPACE: team-a')
B=(-H 'X-MLFLOW-WORKSPACE: team-b')
LIN=$SRV/api/ferry/v1/lineage
curl -fsS "${A[@]}" "$LIN/model-versions/churn/2" >a2.json || fail "team-a's lineage of churn/2"
A_RUN=$(json 'j.nodes.find(n => n.type === "run").run_id' <a2.json)
[[ -n $A_RUN ]] || fail "no training run in team-a's graph: $(cat a2.json)"
code=$(curl -s -o b2.json -w '%{http_code}' "${B[@]}" "$LIN/model-versions/churn/2")
[[ $code == 404 ]] && has RESOURCE_DOES_NOT_EXIST b2.json || fail "team-b sees churn/2: $code $(cat b2.json)"
code=$(curl -s -o d.json -w '%{http_code}' "$LIN/model-versions/churn/1")
[[ $code == 404 ]] || fail "default sees churn/1: $code $(cat d.json)"
code=$(curl -s -o r.json -w '%{http_code}' "${B[@]}" "$LIN/runs/$A_RUN")
[[ $code == 404 ]] || fail "team-b sees team-a's run: $code $(cat r.json)"
curl -fsS "${A[@]}" "$LIN/runs/$A_RUN" >ar.json || fail "team-a's run graph"
json 'j.nodes.filter(n => n.type === "model_version").map(n => n.id).join(",")' <ar.json |
  has -x 'model_version:churn/2' || fail "team-a's run graph names: $(cat ar.json)"

echo "--- packages/: listing for admins only, a package's files readable by its digest"
ART=$SRV/api/2.0/mlflow-artifacts/artifacts
for path in packages packages/ ./packages/. /packages; do
  for h in "${A[@]}" "X-MLFLOW-WORKSPACE: default"; do
    [[ $h == -H ]] && continue
    code=$(curl -s -o l.json -w '%{http_code}' -H "$h" -G --data-urlencode "path=$path" "$ART")
    [[ $code == 403 ]] || fail "listing $path ($h): $code $(cat l.json)"
  done
done
SOURCE=$(curl -fsS "${A[@]}" "$SRV/api/2.0/mlflow/model-versions/get?name=churn&version=2" |
  json 'j.model_version.source')
DIGEST_DIR=${SOURCE#mlflow-artifacts:/}
[[ $DIGEST_DIR == packages/sha256-* ]] || fail "source: $SOURCE"
curl -fsS "${B[@]}" -G --data-urlencode "path=$DIGEST_DIR" "$ART" | has index.json ||
  fail "a package's own listing"
curl -fsS "${B[@]}" "$ART/$DIGEST_DIR/index.json" | has manifests || fail "a package's index.json"
echo "OK"
