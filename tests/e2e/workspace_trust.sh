#!/usr/bin/env bash
# Package trust policies per workspace (docs/SIGNING.md, "Trust policies per workspace"):
# `ferry server --enable-workspaces` keeps a policy per workspace, set through
# /api/ferry/v1/trust-policy in the request's workspace; the package intake applies it to
# packages sent into that workspace (`ferry models register --package` with MLFLOW_WORKSPACE)
# instead of the server's. Key files are refused (a request may not make the server read
# files), other workspaces keep the server's policy, and deleting the policy or the
# workspace takes it away. With --auth only admins set one.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
start_server --enable-workspaces

# status METHOD PATH [CURL ARGS...]: the HTTP status only; the body is in $WORK/body.
status() {
  local method=$1 path=$2
  shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$@" "$URL$path"
}
TP=/api/ferry/v1/trust-policy
TEAM_A=(-H 'X-MLFLOW-WORKSPACE: team-a')
[[ $(status POST /api/3.0/mlflow/workspaces -H 'Content-Type: application/json' \
  --data '{"name":"team-a"}') == 201 ]] || fail "create team-a: $(cat body)"

echo "--- two packages: one signed by lnu, one by a key team-a does not trust"
head -c 100000 /dev/urandom >weights.bin
mkdir model && mv weights.bin model/
printf '{"ferry":{"predictor":{"kind":"builtin","family":"logistic"}}}' >model/ferry-package.json
"$FERRY" package build model --name iris --version 1 -o pkg-lnu >/dev/null 2>build.err ||
  fail "build: $(cat build.err)"
"$FERRY" package build model --name iris --version 2 -o pkg-rogue >rogue-digest.txt 2>build.err ||
  fail "build: $(cat build.err)"
ROGUE_SOURCE="mlflow-artifacts:/packages/$(sed 's/:/-/' rogue-digest.txt)"
"$FERRY" keys generate -o lnu >/dev/null
"$FERRY" keys generate -o rogue >/dev/null
"$FERRY" package sign pkg-lnu --key lnu.key >/dev/null || fail "sign lnu"
"$FERRY" package sign pkg-rogue --key rogue.key >/dev/null || fail "sign rogue"
# policy.json: lnu's public key inline, trusted for every model.
python3 - <<'PY'
import json
pem = open("lnu.pub").read()
json.dump({"keys": {"lnu": {"pem": pem}}, "rules": [{"models": "*", "keys": ["lnu"]}]},
          open("policy.json", "w"))
json.dump({"keys": {"lnu": {"path": "/etc/hostname"}}, "rules": [{"models": "*", "keys": ["lnu"]}]},
          open("by-path.json", "w"))
json.dump({"keys": {"lnu": {"pem": pem}}, "rules": [{"models": "*", "keys": ["x"]}]},
          open("unknown-key.json", "w"))
PY

echo "--- setting team-a's policy: key files refused, inline keys accepted"
[[ $(status GET $TP "${TEAM_A[@]}") == 404 ]] || fail "GET before any policy: $(cat body)"
has "Workspace 'team-a' has no trust policy" body || fail "404 body: $(cat body)"
[[ $(status PUT $TP "${TEAM_A[@]}" --data-binary @by-path.json) == 400 ]] ||
  fail "a key path was accepted: $(cat body)"
has 'keys.lnu.path: key files are not allowed here' body || fail "path refusal: $(cat body)"
[[ $(status PUT $TP "${TEAM_A[@]}" --data-binary @unknown-key.json) == 400 ]] ||
  fail "an unknown key name was accepted"
has "unknown key 'x'" body || fail "unknown key: $(cat body)"
[[ $(status PUT $TP "${TEAM_A[@]}" --data-binary @policy.json) == 200 ]] || fail "PUT: $(cat body)"
[[ $(status GET $TP "${TEAM_A[@]}") == 200 ]] || fail "GET: $(cat body)"
json 'j.trust_policy.workspace + " " + j.trust_policy.keys.map(k => k.name).join(",")' <body |
  has -x 'team-a lnu' || fail "GET body: $(cat body)"
json 'j.trust_policy.keys[0].key_id' <body | has -E '^[0-9a-f]{16,}$' || fail "key id: $(cat body)"
[[ $(status GET $TP) == 404 ]] || fail "default has team-a's policy: $(cat body)"

echo "--- the intake applies team-a's policy in team-a only"
register() { # WORKSPACE PACKAGE: registers iris from PACKAGE; output in reg.out/reg.err
  MLFLOW_WORKSPACE=$1 "$FERRY" models register iris --package "$2" --tracking-uri "$URL" \
    >reg.out 2>reg.err
}
if register team-a pkg-rogue; then fail "team-a accepted a package signed by rogue"; fi
has "not by any key in trust policy workspace 'team-a' policy" reg.err ||
  fail "rogue refusal: $(cat reg.err)"
register team-a pkg-lnu || fail "team-a refused lnu's package: $(cat reg.err)"
register default pkg-rogue || fail "default (no policy) refused a package: $(cat reg.err)"

echo "--- the registration gate: a package stored through default is still checked in team-a"
[[ $(status POST /api/2.0/mlflow/model-versions/create "${TEAM_A[@]}" \
  -H 'Content-Type: application/json' --data "{\"name\":\"iris\",\"source\":\"$ROGUE_SOURCE\"}") == 200 ]] ||
  fail "create a version from the stored rogue package: $(cat body)"
version=$(json j.model_version.version <body)
failed_registration() {
  status GET "/api/2.0/mlflow/model-versions/get?name=iris&version=$version" "${TEAM_A[@]}" >/dev/null
  has FAILED_REGISTRATION body
}
eventually 20 failed_registration || fail "team-a's version from a rogue package: $(cat body)"
has "unknown key" body || fail "the gate's reason: $(cat body)"
# In default (no policy anywhere) the same source is READY at once, as in MLflow.
[[ $(status POST /api/2.0/mlflow/model-versions/create -H 'Content-Type: application/json' \
  --data "{\"name\":\"iris\",\"source\":\"$ROGUE_SOURCE\"}") == 200 ]] || fail "default: $(cat body)"
json j.model_version.status <body | has -x READY || fail "default's version: $(cat body)"

echo "--- deleting the policy: team-a takes what the server takes again"
[[ $(status DELETE $TP "${TEAM_A[@]}") == 200 ]] || fail "DELETE: $(cat body)"
[[ $(status DELETE $TP "${TEAM_A[@]}") == 404 ]] || fail "second DELETE: $(cat body)"
register team-a pkg-rogue || fail "team-a without a policy refused: $(cat reg.err)"
stop_server

echo "--- with --auth: only admins set a policy; users read it"
export FERRY_ADMIN_PASSWORD=admin-password-1
start_server_in "$WORK/auth" --auth --enable-workspaces
A=(-u admin:admin-password-1)
[[ $(status POST /api/2.0/mlflow/users/create "${A[@]}" -H 'Content-Type: application/json' \
  --data '{"username":"alice","password":"alice-password-1"}') == 200 ]] || fail "alice: $(cat body)"
[[ $(status PUT $TP -u alice:alice-password-1 --data-binary @policy.json) == 403 ]] ||
  fail "alice set a policy: $(cat body)"
[[ $(status POST /api/3.0/mlflow/workspaces "${A[@]}" -H 'Content-Type: application/json' \
  --data '{"name":"team-a"}') == 201 ]] || fail "create team-a: $(cat body)"
admin=(env MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=admin-password-1)
"${admin[@]}" "$FERRY" workspaces trust-policy set team-a policy.json --tracking-uri "$URL" |
  has "'team-a' trusts the keys of policy.json" || fail "ferry workspaces trust-policy set"
"${admin[@]}" "$FERRY" workspaces trust-policy get team-a --tracking-uri "$URL" >got.txt ||
  fail "trust-policy get"
has -E '^key lnu [0-9a-f]{16,}$' got.txt && has -x 'set by admin' got.txt || fail "get: $(cat got.txt)"
if "${admin[@]}" "$FERRY" workspaces trust-policy get default --tracking-uri "$URL" >got.txt 2>&1; then
  fail "default has team-a's policy: $(cat got.txt)"
fi
has "has no trust policy" got.txt || fail "default's answer: $(cat got.txt)"
"${admin[@]}" "$FERRY" workspaces trust-policy delete team-a --tracking-uri "$URL" >/dev/null ||
  fail "trust-policy delete"
[[ $(status PUT $TP "${A[@]}" --data-binary @policy.json) == 200 ]] || fail "admin PUT: $(cat body)"
[[ $(status GET $TP -u alice:alice-password-1) == 200 ]] || fail "alice GET: $(cat body)"
[[ $(status GET $TP) == 401 ]] || fail "anonymous GET: $(cat body)"
echo "PASS"
