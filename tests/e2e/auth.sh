#!/usr/bin/env bash
# `ferry server --auth` with the real MLflow 2.12.2 Python client (Basic credentials and
# Bearer tokens through MLFLOW_TRACKING_*), its AuthServiceClient for users and grants, and
# curl: deny by default on every route the server has, MLflow's permission levels, the
# creator's MANAGE, grants that open and close access, tokens that expire with revocation.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"

# The first admin: from the environment, or generated and printed once.
start_server --auth
grep -q "created the admin user 'admin' with the password" "$WORK/server.log" ||
  fail "no generated admin password printed: $(cat "$WORK/server.log")"
stop_server
rm -rf "$WORK/data" "$WORK/server.log"
export FERRY_ADMIN_PASSWORD=admin-secret-1
start_server --auth --auth-default-permission READ --deploy models:/served@prod
grep -q "created the admin user" "$WORK/server.log" && fail "printed a password it was given"
ADMIN=admin:admin-secret-1

# status METHOD PATH [CURL ARGS...]: the HTTP status only.
status() {
  local method=$1 path=$2
  shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$@" "$URL$path"
}

echo "--- open routes and the 401"
for path in /health /ping /version / /static/app.js; do
  [[ $(status GET "$path") == 200 ]] || fail "$path is not open: $(cat "$WORK/body")"
done
[[ $(status GET "/api/2.0/mlflow/experiments/search") == 401 ]] || fail "search without credentials"
has '"error_code":"UNAUTHENTICATED"' "$WORK/body" || fail "401 body: $(cat "$WORK/body")"
curl -s -D - -o /dev/null "$URL/api/2.0/mlflow/experiments/search" |
  has -i '^WWW-Authenticate: Basic realm="ferry"' || fail "no WWW-Authenticate on 401"
[[ $(status GET "/api/2.0/mlflow/experiments/search" -u admin:wrong) == 401 ]] || fail "wrong password"
[[ $(status GET "/api/2.0/mlflow/experiments/search" -H "Authorization: Bearer ferry_nope") == 401 ]] ||
  fail "unknown token"

# The open session route reads only the UI's cookie: passwords sent there are not checked (it
# would be a way past the login limit).
[[ $(status GET /api/ferry/v1/auth/session -u "$ADMIN") == 200 ]] || fail "auth/session"
[[ $(cat "$WORK/body") == '{"auth":true}' ]] || fail "auth/session checked a password: $(cat "$WORK/body")"

echo "--- every route of the server is declared, and refuses anonymous callers"
[[ $(status GET /api/ferry/v1/auth/routes -u "$ADMIN") == 200 ]] || fail "route listing"
cp "$WORK/body" routes.json
count=$(json 'j.routes.length' <routes.json)
((count > 120)) || fail "only $count routes listed"
json 'j.routes.filter(r => r.access === "none").length' <routes.json | has -x 0 ||
  fail "routes without a rule: $(cat routes.json)"
json 'j.routes.filter(r => r.audited !== (r.method !== "GET" && !/search|latest-versions|extremes|children|invocations|v2.models/.test(r.pattern))).map(r => r.method + " " + r.pattern)' \
  <routes.json | has -x '\[\]' || fail "audited routes: $(cat routes.json)"
json 'j.routes.filter(r => r.access !== "open").map(r => r.method + " " + r.pattern.replace("*", "x")).join("\n")' \
  <routes.json >closed.txt
while read -r method path; do
  code=$(status "$method" "$path" -H 'Content-Type: application/json' --data '{}')
  [[ $code == 401 ]] || fail "$method $path without credentials answered $code"
done <closed.txt
echo "$(wc -l <closed.txt) closed routes answer 401 without credentials"

echo "--- users and grants through MLflow's AuthServiceClient; runs through MlflowClient"
MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=admin-secret-1 \
  /usr/bin/python3 - "$URL" <<'PY' || fail "AuthServiceClient as admin"
import sys
from mlflow.server.auth.client import AuthServiceClient
c = AuthServiceClient(sys.argv[1])
for name in ("alice", "bob"):
    u = c.create_user(name, name + "-password")
    assert u.username == name and not u.is_admin, u
try:
    c.create_user("alice", "again")
    raise SystemExit("a second alice was created")
except Exception as e:
    assert "RESOURCE_ALREADY_EXISTS" in str(e), e
assert c.get_user("bob").username == "bob"
PY

as_alice=(env MLFLOW_TRACKING_USERNAME=alice MLFLOW_TRACKING_PASSWORD=alice-password MLFLOW_TRACKING_URI="$URL")
as_bob=(env MLFLOW_TRACKING_USERNAME=bob MLFLOW_TRACKING_PASSWORD=bob-password MLFLOW_TRACKING_URI="$URL")
"${as_alice[@]}" /usr/bin/python3 - >alice.out <<'PY' || fail "alice's run: $(cat alice.out)"
import mlflow
from mlflow import MlflowClient
mlflow.set_experiment("alice-exp")
with mlflow.start_run() as run:
    mlflow.log_param("alpha", 0.5)
    for step in range(5):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_text("hello", "notes/readme.txt")
client = MlflowClient()
client.create_registered_model("alice-model")
print(run.info.experiment_id, run.info.run_id)
PY
read -r EXP RUN <alice.out
"${as_alice[@]}" /usr/bin/python3 - "$EXP" <<'PY' || fail "alice is not MANAGE on what she made"
import sys
from mlflow.server.auth.client import AuthServiceClient
import os
c = AuthServiceClient(os.environ["MLFLOW_TRACKING_URI"])
u = c.get_user("alice")
assert [(p.experiment_id, p.permission) for p in u.experiment_permissions] == [(sys.argv[1], "MANAGE")], u.experiment_permissions
assert [(p.name, p.permission) for p in u.registered_model_permissions] == [("alice-model", "MANAGE")]
PY

echo "--- bob: READ by default, refused writes, then a grant"
"${as_bob[@]}" /usr/bin/python3 - "$EXP" "$RUN" <<'PY' || fail "bob's reads and refused writes"
import sys
import mlflow
from mlflow import MlflowClient
exp, run = sys.argv[1:]
client = MlflowClient()
assert client.get_run(run).data.params == {"alpha": "0.5"}
assert [m.value for m in client.get_metric_history(run, "loss")][0] == 1.0
assert client.download_artifacts(run, "notes/readme.txt") and True
def refused(call, *args):
    try:
        call(*args)
    except Exception as e:
        assert "PERMISSION_DENIED" in str(e) or "403" in str(e), e
        return
    raise SystemExit(f"{call.__name__} was allowed")
refused(client.log_metric, run, "loss", 9.0)
refused(client.set_tag, run, "who", "bob")
refused(client.delete_experiment, exp)
refused(client.log_text, run, "x", "bob.txt")
refused(client.set_registered_model_alias, "alice-model", "prod", "1")
PY
[[ $(status GET "/api/2.0/mlflow/users/get?username=alice" -u bob:bob-password) == 403 ]] ||
  fail "bob read alice's user"
[[ $(status POST /api/2.0/mlflow/users/create -u bob:bob-password -H 'Content-Type: application/json' \
  --data '{"username":"eve","password":"x"}') == 403 ]] || fail "bob created a user"
has '"error_code":"PERMISSION_DENIED"' "$WORK/body" || fail "403 body: $(cat "$WORK/body")"
[[ $(status GET /api/2.0/mlflow/users/list -u bob:bob-password) == 403 ]] || fail "bob listed users"
[[ $(status GET /ajax-api/2.0/mlflow/users/list -u admin:admin-secret-1) == 200 ]] || fail "admin lists users"
json 'j.users.map(u => u.username + ":" + u.is_admin).join(",")' <"$WORK/body" | has -x 'admin:true,alice:false,bob:false' ||
  fail "users/list: $(cat "$WORK/body")"
[[ $(status GET /api/ferry/v1/webhooks -u bob:bob-password) == 403 ]] || fail "bob listed webhooks"
[[ $(status GET /metrics -u bob:bob-password) == 403 ]] || fail "bob read /metrics"

"${as_alice[@]}" /usr/bin/python3 - "$EXP" <<'PY' || fail "alice grants bob EDIT"
import os, sys
from mlflow.server.auth.client import AuthServiceClient
c = AuthServiceClient(os.environ["MLFLOW_TRACKING_URI"])
p = c.create_experiment_permission(sys.argv[1], "bob", "EDIT")
assert p.permission == "EDIT"
try:
    c.create_experiment_permission(sys.argv[1], "bob", "SUPERUSER")
    raise SystemExit("an unknown permission was accepted")
except Exception as e:
    assert "Invalid permission" in str(e), e
PY
"${as_bob[@]}" /usr/bin/python3 - "$EXP" "$RUN" <<'PY' || fail "bob with EDIT"
import sys
from mlflow import MlflowClient
exp, run = sys.argv[1:]
client = MlflowClient()
client.log_metric(run, "bob_metric", 1.0)
try:
    client.delete_experiment(exp)
    raise SystemExit("EDIT deleted an experiment")
except Exception as e:
    assert "PERMISSION_DENIED" in str(e), e
PY
bob_grant=$(status GET "/api/2.0/mlflow/experiments/permissions/get?experiment_id=$EXP&username=bob" -u bob:bob-password)
[[ $bob_grant == 403 ]] || fail "bob (EDIT) read the grants of alice's experiment: $bob_grant"

echo "--- searches show only what the caller may read (inside the query: pages stay full)"
"${as_alice[@]}" /usr/bin/python3 - <<'PY' || fail "alice hides an experiment from bob"
import os
import mlflow
from mlflow.server.auth.client import AuthServiceClient
exp = mlflow.MlflowClient().create_experiment("alice-secret")
AuthServiceClient(os.environ["MLFLOW_TRACKING_URI"]).create_experiment_permission(exp, "bob", "NO_PERMISSIONS")
PY
"${as_bob[@]}" /usr/bin/python3 - <<'PY' || fail "bob's experiment search"
from mlflow import MlflowClient
client = MlflowClient()
names = [e.name for e in client.search_experiments()]
assert sorted(names) == ["Default", "alice-exp"], names
page = client.search_experiments(max_results=1)
assert len(page) == 1 and page.token, (len(page), page.token)
page2 = client.search_experiments(max_results=1, page_token=page.token)
assert len(page2) == 1 and not page2.token, (len(page2), page2.token)
assert sorted([page[0].name, page2[0].name]) == ["Default", "alice-exp"]
PY
[[ $(status GET "/api/2.0/mlflow/experiments/get-by-name?experiment_name=alice-secret" -u bob:bob-password) == 403 ]] ||
  fail "bob read alice-secret by name"
[[ $(status GET "/api/2.0/mlflow/experiments/search?max_results=100" -u "$ADMIN") == 200 ]] ||
  fail "admin search"
has '"name":"alice-secret"' "$WORK/body" || fail "the admin does not see alice-secret"

echo "--- tokens: Bearer through MLFLOW_TRACKING_TOKEN, revoked at once"
[[ $(status POST /api/ferry/v1/tokens -u alice:alice-password -H 'Content-Type: application/json' \
  --data '{"name":"ci","expires_in_days":1}') == 200 ]] || fail "token: $(cat "$WORK/body")"
TOKEN=$(json 'j.token' <"$WORK/body")
TOKEN_ID=$(json 'j.token_info.id' <"$WORK/body")
[[ $TOKEN == ferry_* ]] || fail "token shape: $TOKEN"
MLFLOW_TRACKING_TOKEN=$TOKEN MLFLOW_TRACKING_URI=$URL /usr/bin/python3 -c "
from mlflow import MlflowClient
MlflowClient().log_metric('$RUN', 'by_token', 2.0)" || fail "the Python client with a token"
[[ $(status GET /api/ferry/v1/tokens -u alice:alice-password) == 200 ]] || fail "token list"
has "\"id\":\"$TOKEN_ID\"" "$WORK/body" || fail "token not listed: $(cat "$WORK/body")"
has "$TOKEN" "$WORK/body" && fail "the token list shows the token itself"
[[ $(status DELETE "/api/ferry/v1/tokens/$TOKEN_ID" -u bob:bob-password) == 404 ]] ||
  fail "bob revoked alice's token"
# One keep-alive connection (whose check remembers its last credential): the token works, is
# revoked through another connection, and the same connection's next request gets 401.
/usr/bin/python3 - "$URL" "$TOKEN" "$TOKEN_ID" "$RUN" <<'PY' || fail "a revoked token lived on in a keep-alive connection"
import base64, http.client, sys, urllib.parse
url, token, token_id, run = sys.argv[1:]
host = urllib.parse.urlparse(url).netloc
kept = http.client.HTTPConnection(host)
def get():
    kept.request("GET", f"/api/2.0/mlflow/runs/get?run_id={run}", headers={"Authorization": f"Bearer {token}"})
    r = kept.getresponse(); r.read(); return r.status
assert get() == 200 and get() == 200, "the token before its revocation"
other = http.client.HTTPConnection(host)
basic = base64.b64encode(b"alice:alice-password").decode()
other.request("DELETE", f"/api/ferry/v1/tokens/{token_id}", headers={"Authorization": f"Basic {basic}"})
assert other.getresponse().status == 200, "revoke"
status = get()
assert status == 401, f"the kept connection after the revocation: {status}"
PY
[[ $(status GET "/api/2.0/mlflow/runs/get?run_id=$RUN" -H "Authorization: Bearer $TOKEN") == 401 ]] ||
  fail "a revoked token still works"

echo "--- ferry's own commands read the same variables"
MLFLOW_TRACKING_USERNAME=alice MLFLOW_TRACKING_PASSWORD=alice-password \
  "$FERRY" models list --tracking-uri "$URL" >models.txt 2>&1 || fail "ferry models list as alice: $(cat models.txt)"
has alice-model models.txt || fail "ferry models list: $(cat models.txt)"
MLFLOW_TRACKING_TOKEN=$TOKEN "$FERRY" models list --tracking-uri "$URL" >models.txt 2>&1 &&
  fail "a revoked token listed models"
if "$FERRY" models list --tracking-uri "$URL" >models.txt 2>&1; then fail "ferry listed models anonymously"; fi
has MLFLOW_TRACKING_USERNAME models.txt || fail "the 401 does not say what to set: $(cat models.txt)"

echo "--- ferry users, permissions and tokens"
as_admin=(env MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=admin-secret-1)
echo dave-password | "${as_admin[@]}" "$FERRY" users create dave --password-stdin --tracking-uri "$URL" |
  has "created the user 'dave'" || fail "ferry users create"
"${as_admin[@]}" "$FERRY" permissions grant experiment "$EXP" dave READ --tracking-uri "$URL" >/dev/null ||
  fail "ferry permissions grant"
"${as_admin[@]}" "$FERRY" permissions grant experiment "$EXP" dave EDIT --tracking-uri "$URL" >/dev/null ||
  fail "ferry permissions grant (a change)"
"${as_admin[@]}" "$FERRY" permissions show experiment "$EXP" dave --tracking-uri "$URL" |
  has "dave has EDIT on experiment $EXP" || fail "ferry permissions show"
"${as_admin[@]}" "$FERRY" users show dave --tracking-uri "$URL" | has "experiment $EXP: EDIT" ||
  fail "ferry users show"
dave_token=$("${as_admin[@]}" "$FERRY" tokens create ci --user dave --expires-in-days 2 --tracking-uri "$URL" | head -1)
[[ $dave_token == ferry_* ]] || fail "ferry tokens create: $dave_token"
MLFLOW_TRACKING_TOKEN=$dave_token "$FERRY" users me --tracking-uri "$URL" | has "^dave" ||
  fail "ferry users me with dave's token"
MLFLOW_TRACKING_TOKEN=$dave_token "$FERRY" tokens list --tracking-uri "$URL" | has " ci " ||
  fail "ferry tokens list"
if MLFLOW_TRACKING_TOKEN=$dave_token "$FERRY" users create eve --password-stdin --tracking-uri "$URL" \
  <<<"x" 2>err.txt; then fail "dave created a user"; fi
has PERMISSION_DENIED err.txt || fail "dave's refusal: $(cat err.txt)"
"${as_admin[@]}" "$FERRY" users delete dave --tracking-uri "$URL" >/dev/null || fail "ferry users delete"
MLFLOW_TRACKING_TOKEN=$dave_token "$FERRY" users me --tracking-uri "$URL" 2>/dev/null &&
  fail "a deleted user's token still works"

echo "--- serving: --deploy loads through the server's own credential; inference needs USE"
"$FERRY" train logistic --data "$DATA/breast_cancer.csv" --target target --no-tracking -o lr.oci \
  >train.log 2>&1 || fail "train: $(cat train.log)"
"${as_admin[@]}" "$FERRY" models register served --package lr.oci --tracking-uri "$URL" >/dev/null ||
  fail "register served"
"${as_admin[@]}" "$FERRY" models alias served prod 1 --tracking-uri "$URL" >/dev/null || fail "alias"
ready() { [[ $(status GET /v2/models/served/ready -u "$ADMIN") == 200 ]]; }
eventually 30 ready || fail "the --deploy model did not load under --auth: $(tail -5 "$WORK/server.log")"
ROW=$(sed -n 2p "$DATA/breast_cancer.csv" | cut -d, -f1-30)
infer() {
  status POST /v2/models/served/infer -u "$1" -H 'Content-Type: application/json' \
    --data "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,30],\"datatype\":\"FP64\",\"data\":[$ROW]}]}"
}
[[ $(infer bob:bob-password) == 403 ]] || fail "bob (READ) ran inference"
has '"error"' "$WORK/body" || fail "the 403 under /v2 is not in OIP's shape: $(cat "$WORK/body")"
[[ $(status POST /invocations -u bob:bob-password -H 'Content-Type: application/json' \
  --data "{\"inputs\":[[$ROW]]}") == 403 ]] || fail "bob (READ) used /invocations"
"${as_admin[@]}" "$FERRY" permissions grant model served bob USE --tracking-uri "$URL" >/dev/null ||
  fail "grant USE"
[[ $(infer bob:bob-password) == 200 ]] || fail "bob (USE) cannot infer: $(cat "$WORK/body")"
[[ $(status POST /invocations -u bob:bob-password -H 'Content-Type: application/json' \
  --data "{\"inputs\":[[$ROW]]}") == 200 ]] || fail "bob (USE) cannot use /invocations: $(cat "$WORK/body")"
[[ $(status GET /v2/health/ready) == 200 ]] || fail "readiness is not open"

echo "--- a password change takes effect at once"
[[ $(status PATCH /api/2.0/mlflow/users/update-password -u bob:bob-password \
  -H 'Content-Type: application/json' --data '{"username":"bob","password":"bob-new-password"}') == 200 ]] ||
  fail "bob changes his password: $(cat "$WORK/body")"
[[ $(status GET "/api/2.0/mlflow/runs/get?run_id=$RUN" -u bob:bob-password) == 401 ]] ||
  fail "the old password still works"
[[ $(status GET "/api/2.0/mlflow/runs/get?run_id=$RUN" -u bob:bob-new-password) == 200 ]] ||
  fail "the new password does not work"

echo "--- NO_PERMISSIONS by default: only grants open experiments"
stop_server
start_server --auth --auth-default-permission NO_PERMISSIONS
[[ $(status GET "/api/2.0/mlflow/runs/get?run_id=$RUN" -u bob:bob-new-password) == 200 ]] ||
  fail "bob's EDIT grant is gone after a restart"
[[ $(status GET "/api/2.0/mlflow/registered-models/get?name=alice-model" -u bob:bob-new-password) == 403 ]] ||
  fail "bob read alice's model without a grant"
[[ $(status GET "/api/2.0/mlflow/experiments/search?max_results=100" -u bob:bob-new-password) == 200 ]] ||
  fail "bob's search under NO_PERMISSIONS"
[[ $(json 'j.experiments.map(e => e.name).join()' <"$WORK/body") == alice-exp ]] ||
  fail "bob sees more than his grant: $(cat "$WORK/body")"
[[ $(status GET "/api/2.0/mlflow/registered-models/search" -u bob:bob-new-password) == 200 ]] ||
  fail "bob's model search"
[[ $(json 'j.registered_models.map(m => m.name).join()' <"$WORK/body") == served ]] ||
  fail "bob sees other models than the one he was granted: $(cat "$WORK/body")"
[[ $(status GET "/api/2.0/mlflow-artifacts/artifacts/$EXP/$RUN/artifacts/notes/readme.txt" \
  -u bob:bob-new-password) == 200 ]] || fail "bob's grant does not cover the artifact proxy"
[[ $(status GET "/api/2.0/mlflow-artifacts/artifacts?path=" -u bob:bob-new-password) == 403 ]] ||
  fail "bob listed the artifact root"

echo "--- ten failed logins a minute for a user and address, then 429 without a password check"
curl -fsS -u "$ADMIN" -H 'Content-Type: application/json' -d '{"username":"carol","password":"carol-password"}' \
  "$URL/api/2.0/mlflow/users/create" >/dev/null || fail "create carol"
for i in $(seq 1 10); do
  [[ $(status GET /api/2.0/mlflow/experiments/search -u carol:guess-$i) == 401 ]] || fail "guess $i"
done
curl -s -D headers.txt -o "$WORK/body" -u carol:carol-password "$URL/api/2.0/mlflow/experiments/search"
head -1 headers.txt | has " 429" || fail "the eleventh attempt: $(head -1 headers.txt)"
has -i '^Retry-After: [1-9]' headers.txt || fail "no Retry-After on 429: $(cat headers.txt)"
has '"error_code":"REQUEST_LIMIT_EXCEEDED"' "$WORK/body" || fail "429 body: $(cat "$WORK/body")"
[[ $(status GET /api/2.0/mlflow/experiments/search -u bob:bob-new-password) == 200 ]] ||
  fail "another user was locked out too"

echo "--- the audit log: every write with who, when, from where and the answer; survives kill -9"
T0=$(date +%s%3N)
JSON=(-H 'Content-Type: application/json')
ALICE=alice:alice-password
[[ $(status POST /api/2.0/mlflow/experiments/create -u $ALICE "${JSON[@]}" \
  --data '{"name":"audited"}') == 200 ]] || fail "alice creates audited: $(cat "$WORK/body")"
AEXP=$(json 'j.experiment_id' <"$WORK/body")
[[ $(status POST /api/2.0/mlflow/experiments/set-experiment-tag -u $ALICE "${JSON[@]}" \
  -H 'X-Request-Id: audit-tag-1' --data "{\"experiment_id\":\"$AEXP\",\"key\":\"k\",\"value\":\"v\"}") == 200 ]] ||
  fail "alice tags audited: $(cat "$WORK/body")"
[[ $(status POST /api/2.0/mlflow/runs/create -u $ALICE "${JSON[@]}" \
  --data "{\"experiment_id\":\"$AEXP\"}") == 200 ]] || fail "alice's run: $(cat "$WORK/body")"
ARUN=$(json 'j.run.info.run_id' <"$WORK/body")
[[ $(status POST /api/2.0/mlflow/runs/log-metric -u bob:bob-new-password "${JSON[@]}" \
  --data "{\"run_id\":\"$ARUN\",\"key\":\"m\",\"value\":1,\"timestamp\":1}") == 403 ]] ||
  fail "bob logged to alice's run"
[[ $(status POST /api/2.0/mlflow/experiments/create "${JSON[@]}" --data '{"name":"anon"}') == 401 ]] ||
  fail "an anonymous write"
[[ $(status POST /api/2.0/mlflow/experiments/permissions/create -u $ALICE "${JSON[@]}" \
  --data "{\"experiment_id\":\"$AEXP\",\"username\":\"bob\",\"permission\":\"READ\"}") == 200 ]] ||
  fail "alice grants bob READ: $(cat "$WORK/body")"
UPLOAD=/api/2.0/mlflow-artifacts/artifacts/$AEXP/$ARUN/artifacts/notes.txt
echo "audited upload" >notes.txt
upload_status=$(status PUT "$UPLOAD" -u $ALICE --data-binary @notes.txt)
[[ $upload_status == 200 ]] || fail "alice's upload through the proxy: $upload_status $(cat "$WORK/body")"
[[ $(status GET "/api/2.0/mlflow/runs/get?run_id=$ARUN" -u $ALICE) == 200 ]] || fail "alice reads"
[[ $(status POST /api/2.0/mlflow/runs/search -u $ALICE "${JSON[@]}" \
  --data "{\"experiment_ids\":[\"$AEXP\"]}") == 200 ]] || fail "alice searches"
[[ $(status GET /api/ferry/v1/audit -u bob:bob-new-password) == 403 ]] || fail "bob read the audit log"
[[ $(status DELETE /api/2.0/mlflow/experiments/permissions/delete -u "$ADMIN" "${JSON[@]}" \
  --data "{\"experiment_id\":\"$AEXP\",\"username\":\"bob\"}") == 200 ]] ||
  fail "the admin removes bob's grant: $(cat "$WORK/body")"

# audit_lines QUERY: the entries since T0, oldest first, one "user method path status resource" a line.
audit_lines() {
  [[ $(status GET "/api/ferry/v1/audit?since_ms=$T0&max_results=1000${1:-}" -u "$ADMIN") == 200 ]] ||
    fail "audit listing: $(cat "$WORK/body")"
  json 'j.entries.slice().reverse().map(e => [e.user, e.method, e.path, e.status, e.resource].join(" ")).join("\n")' \
    <"$WORK/body"
}
M=/api/2.0/mlflow
expected="alice POST $M/experiments/create 200 
alice POST $M/experiments/set-experiment-tag 200 experiment $AEXP
alice POST $M/runs/create 200 experiment $AEXP
bob POST $M/runs/log-metric 403 experiment $AEXP
- POST $M/experiments/create 401 
alice POST $M/experiments/permissions/create 200 experiment $AEXP, user 'bob'
alice PUT $UPLOAD 200 experiment $AEXP
admin DELETE $M/experiments/permissions/delete 200 experiment $AEXP, user 'bob'"
[[ $(audit_lines) == "$expected" ]] || fail "audit log: $(audit_lines) != $expected"
json 'j.entries.every(e => e.address === "127.0.0.1" && e.timestamp >= '"$T0"' && e.request_id)' \
  <"$WORK/body" | has -x true || fail "addresses, times or ids: $(cat "$WORK/body")"
json 'j.entries.filter(e => e.request_id === "audit-tag-1").length' <"$WORK/body" | has -x 1 ||
  fail "the client's X-Request-Id is not the entry's"
[[ $(audit_lines "&user=bob") == "bob POST $M/runs/log-metric 403 experiment $AEXP" ]] ||
  fail "?user=bob: $(audit_lines "&user=bob")"
[[ $(status GET "/api/ferry/v1/audit?since_ms=$T0&max_results=3" -u "$ADMIN") == 200 ]] || fail "page 1"
page_token=$(json 'j.next_page_token' <"$WORK/body")
[[ -n $page_token && $(json 'j.entries[0].method' <"$WORK/body") == DELETE ]] || fail "page 1: $(cat "$WORK/body")"
[[ $(status GET "/api/ferry/v1/audit?since_ms=$T0&max_results=3&page_token=$page_token" -u "$ADMIN") == 200 ]] ||
  fail "page 2: $(cat "$WORK/body")"
[[ $(json 'j.entries.map(e => e.path.split("/").pop()).join()' <"$WORK/body") == create,log-metric,create ]] ||
  fail "page 2: $(cat "$WORK/body")"
[[ $(status GET "/api/ferry/v1/audit?max_results=1001" -u "$ADMIN") == 400 ]] || fail "a page over 1000"

kill9_server
start_server --auth --auth-default-permission NO_PERMISSIONS
[[ $(audit_lines) == "$expected" ]] || fail "after kill -9: $(audit_lines) != $expected"

# An upload the client abandons halfway is in the log as 499 (closed before the answer).
head -c 1000000 /dev/zero >big.bin
curl -s -o /dev/null -u $ALICE -T big.bin --limit-rate 20k "$URL${UPLOAD%notes.txt}big.bin" &
curl_pid=$!
sleep 1
kill "$curl_pid"
wait "$curl_pid" || true
last_is_499() {
  [[ $(status GET "/api/ferry/v1/audit?since_ms=$T0&max_results=1" -u "$ADMIN") == 200 ]] &&
    [[ $(json '[j.entries[0].user, j.entries[0].status, j.entries[0].path.split("/").pop()].join()' \
      <"$WORK/body") == alice,499,big.bin ]]
}
eventually 5 last_is_499 || fail "the abandoned upload: $(cat "$WORK/body")"
echo PASS
