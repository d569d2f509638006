#!/usr/bin/env bash
# Roles per workspace (`ferry server --auth --enable-workspaces`, docs/AUTH.md, Workspaces):
# an admin makes team-a and team-b and gives alice editor in team-a (with `ferry workspaces
# members set`); alice logs a run there with the MLflow Python client (MLFLOW_WORKSPACE, sent
# as X-MLFLOW-WORKSPACE by a request-header provider as in e2e.workspaces) and cannot see
# team-b (404, absent from the list); bob, a viewer, reads but cannot write (403
# PERMISSION_DENIED); removing alice's membership takes effect on her next request; a group's
# role opens team-b to an OIDC token carrying that group (the toy provider of e2e.auth_oidc);
# member changes are in the audit log.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
source "$(dirname "$0")/oidc/provider.sh"
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"

echo "--- an OpenID provider on loopback (keys, discovery document, JWKS)"
start_oidc_provider

export FERRY_ADMIN_PASSWORD=admin-secret-1
start_server --auth --enable-workspaces --oidc-issuer "$ISSUER" --oidc-audience ferry

# status METHOD PATH [CURL ARGS...]: the HTTP status only; the body is in $WORK/body.
status() {
  local method=$1 path=$2
  shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$@" "$URL$path"
}
WS=/api/3.0/mlflow/workspaces
MEMBERS=/api/ferry/v1/workspaces
JSON=(-H 'Content-Type: application/json')
ADMIN=(-u admin:admin-secret-1)
ALICE=(-u alice:alice-password-1)
BOB=(-u bob:bob-password-1)
IN_A=(-H 'X-MLFLOW-WORKSPACE: team-a')
IN_B=(-H 'X-MLFLOW-WORKSPACE: team-b')
# names: the workspaces a list answer holds, comma-separated.
names() { json 'j.workspaces.map(w => w.name).join(",")' <body; }

echo "--- the admin makes two workspaces and two users"
for name in team-a team-b; do
  [[ $(status POST $WS "${ADMIN[@]}" "${JSON[@]}" --data "{\"name\":\"$name\"}") == 201 ]] ||
    fail "create $name: $(cat body)"
done
for user in alice bob; do
  [[ $(status POST /api/2.0/mlflow/users/create "${ADMIN[@]}" "${JSON[@]}" \
    --data "{\"username\":\"$user\",\"password\":\"$user-password-1\"}") == 200 ]] || fail "user $user"
done

echo "--- members: the CLI and the routes"
"$FERRY" workspaces members --help | has 'members set WS user|group NAME ROLE' || fail "CLI help"
MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=admin-secret-1 \
  "$FERRY" workspaces members set team-a user alice editor --tracking-uri "$URL" >cli.out 2>&1 ||
  fail "ferry workspaces members set: $(cat cli.out)"
has "user alice is editor in 'team-a'" cli.out || fail "CLI output: $(cat cli.out)"
[[ $(status PUT $MEMBERS/team-a/members "${ADMIN[@]}" "${JSON[@]}" \
  --data '{"principal":"bob","kind":"user","role":"viewer"}') == 200 ]] || fail "bob viewer: $(cat body)"
json 'j.member.principal + " " + j.member.kind + " " + j.member.role' <body | has -x 'bob user viewer' ||
  fail "PUT body: $(cat body)"
[[ $(status PUT $MEMBERS/team-a/members "${ADMIN[@]}" "${JSON[@]}" \
  --data '{"principal":"bob","kind":"user","role":"owner"}') == 400 ]] || fail "a bad role"
has INVALID_PARAMETER_VALUE body && has "'role'" body || fail "bad role: $(cat body)"
[[ $(status PUT $MEMBERS/team-a/members "${ADMIN[@]}" "${JSON[@]}" \
  --data '{"principal":"bob","kind":"team","role":"viewer"}') == 400 ]] || fail "a bad kind"
has "'kind'" body || fail "bad kind: $(cat body)"
[[ $(status PUT $MEMBERS/team-a/members "${ADMIN[@]}" "${JSON[@]}" \
  --data '{"principal":"nobody","kind":"user","role":"viewer"}') == 404 ]] || fail "an unknown user"
has RESOURCE_DOES_NOT_EXIST body || fail "unknown user: $(cat body)"
MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=admin-secret-1 \
  "$FERRY" workspaces members list team-a --tracking-uri "$URL" >list.out 2>&1 || fail "list: $(cat list.out)"
[[ $(cat list.out) == $'user alice editor\nuser bob viewer' ]] || fail "CLI list: $(cat list.out)"
[[ $(status GET $MEMBERS/team-a/members "${ALICE[@]}") == 403 ]] || fail "an editor read the members"
has PERMISSION_DENIED body && has 'manager role' body || fail "members 403: $(cat body)"
[[ $(status PUT $MEMBERS/team-a/members "${ALICE[@]}" "${JSON[@]}" \
  --data '{"principal":"bob","kind":"user","role":"admin"}') == 403 ]] || fail "an editor changed members"
[[ $(status GET $MEMBERS/team-a/my-role "${ALICE[@]}") == 200 ]] && has '"role":"editor"' body ||
  fail "alice's role: $(cat body)"
[[ $(status GET $MEMBERS/default/my-role "${ALICE[@]}") == 200 ]] && has '"role":null' body ||
  fail "alice's role in default: $(cat body)"
[[ $(status GET $MEMBERS/team-b/my-role "${ADMIN[@]}") == 200 ]] && has '"role":"admin"' body ||
  fail "the admin's role: $(cat body)"

echo "--- alice (editor) logs a run in team-a with the MLflow client"
cat >client.py <<'PY'
import os, sys
import mlflow
from mlflow.tracking.request_header.abstract_request_header_provider import RequestHeaderProvider
from mlflow.tracking.request_header.registry import _request_header_provider_registry

class WorkspaceHeader(RequestHeaderProvider):
    def in_context(self):
        return bool(os.environ.get("MLFLOW_WORKSPACE"))
    def request_headers(self):
        return {"X-MLFLOW-WORKSPACE": os.environ["MLFLOW_WORKSPACE"]}

_request_header_provider_registry.register(WorkspaceHeader)
mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
mlflow.set_experiment(sys.argv[1])
with mlflow.start_run() as run:
    mlflow.log_param("alpha", 0.5)
    mlflow.log_metric("loss", 0.25, step=1)
print(run.info.experiment_id, run.info.run_id)
PY
read -r EXP RUN < <(MLFLOW_TRACKING_URI=$URL MLFLOW_WORKSPACE=team-a MLFLOW_TRACKING_USERNAME=alice \
  MLFLOW_TRACKING_PASSWORD=alice-password-1 /usr/bin/python3 client.py churn 2>alice.err) ||
  fail "alice's run: $(tail -5 alice.err)"
[[ -n $RUN ]] || fail "no run: $(tail -5 alice.err)"
[[ $(status GET "/api/2.0/mlflow/runs/get?run_id=$RUN" "${ALICE[@]}" "${IN_A[@]}") == 200 ]] ||
  fail "alice reads her run"

echo "--- alice cannot see team-b: 404 as for a workspace that does not exist, absent from lists"
[[ $(status GET $WS "${ALICE[@]}") == 200 ]] && names | has -x 'default,team-a' || fail "alice's list: $(cat body)"
[[ $(status GET $WS "${ADMIN[@]}") == 200 ]] && names | has -x 'default,team-a,team-b' || fail "admin's list: $(cat body)"
[[ $(status GET $WS/team-b "${ALICE[@]}") == 404 ]] || fail "alice got team-b"
has "Workspace 'team-b' not found" body || fail "get team-b: $(cat body)"
[[ $(status GET /api/2.0/mlflow/experiments/search "${ALICE[@]}" "${IN_B[@]}") == 404 ]] ||
  fail "alice searched team-b"
HIDDEN=$(cat body)
[[ $(status GET /api/2.0/mlflow/experiments/search "${ALICE[@]}" -H 'X-MLFLOW-WORKSPACE: nope') == 404 ]] ||
  fail "an unknown workspace"
[[ $(cat body) == "${HIDDEN//team-b/nope}" ]] || fail "hidden and unknown differ: $HIDDEN vs $(cat body)"
[[ $(status GET $MEMBERS/team-b/my-role "${ALICE[@]}") == 404 ]] || fail "alice's role in team-b"
[[ $(status POST /api/2.0/mlflow/experiments/create "${ALICE[@]}" "${IN_B[@]}" "${JSON[@]}" \
  --data '{"name":"sneak"}') == 404 ]] || fail "alice created in team-b"

echo "--- bob (viewer) reads team-a but cannot write there"
[[ $(status GET /api/2.0/mlflow/experiments/search "${BOB[@]}" "${IN_A[@]}") == 200 ]] || fail "bob's search"
json 'j.experiments.map(e => e.name).join(",")' <body | has -x churn || fail "bob sees: $(cat body)"
[[ $(status GET "/api/2.0/mlflow/metrics/get-history?run_id=$RUN&metric_key=loss" "${BOB[@]}" "${IN_A[@]}") == 200 ]] ||
  fail "bob reads the metric: $(cat body)"
[[ $(status POST /api/2.0/mlflow/runs/log-metric "${BOB[@]}" "${IN_A[@]}" "${JSON[@]}" \
  --data "{\"run_id\":\"$RUN\",\"key\":\"loss\",\"value\":1,\"timestamp\":1}") == 403 ]] ||
  fail "bob logged a metric"
has PERMISSION_DENIED body || fail "bob's write: $(cat body)"
[[ $(status POST /api/2.0/mlflow/experiments/create "${BOB[@]}" "${IN_A[@]}" "${JSON[@]}" \
  --data '{"name":"bobs"}') == 403 ]] || fail "a viewer created an experiment"
has "editor role in workspace 'team-a'" body || fail "viewer create: $(cat body)"
[[ $(status GET "/api/2.0/mlflow/experiments/search" "${BOB[@]}") == 200 ]] || fail "bob in default"

echo "--- removing alice's membership takes effect on her next request"
MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=admin-secret-1 \
  "$FERRY" workspaces members remove team-a user alice --tracking-uri "$URL" >rm.out 2>&1 ||
  fail "remove: $(cat rm.out)"
[[ $(status GET "/api/2.0/mlflow/runs/get?run_id=$RUN" "${ALICE[@]}" "${IN_A[@]}") == 404 ]] ||
  fail "alice still reads team-a"
has "Workspace 'team-a' not found" body || fail "after removal: $(cat body)"
[[ $(status GET $WS "${ALICE[@]}") == 200 ]] && names | has -x 'default' || fail "alice's list now: $(cat body)"
[[ $(status DELETE "$MEMBERS/team-a/members?principal=alice&kind=user" "${ADMIN[@]}") == 404 ]] ||
  fail "removing a non-member"

echo "--- a group's role opens team-b to a token carrying the group"
CAROL=$(mint --sub carol --groups staff,ml-team)
CAROL_ALONE=$(mint --sub carol)
[[ $(status GET /api/2.0/mlflow/experiments/search -H "Authorization: Bearer $CAROL" "${IN_B[@]}") == 404 ]] ||
  fail "carol saw team-b before the group had a role"
[[ $(status PUT $MEMBERS/team-b/members "${ADMIN[@]}" "${JSON[@]}" \
  --data '{"principal":"ml-team","kind":"group","role":"editor"}') == 200 ]] || fail "group role: $(cat body)"
[[ $(status GET $WS -H "Authorization: Bearer $CAROL") == 200 ]] && names | has -x 'default,team-b' ||
  fail "carol's list: $(cat body)"
read -r _ CAROL_RUN < <(MLFLOW_TRACKING_URI=$URL MLFLOW_WORKSPACE=team-b MLFLOW_TRACKING_TOKEN=$CAROL \
  /usr/bin/python3 client.py carol-exp 2>carol.err) || fail "carol's run: $(tail -5 carol.err)"
[[ -n $CAROL_RUN ]] || fail "no run for carol: $(tail -5 carol.err)"
[[ $(status GET "/api/2.0/mlflow/runs/get?run_id=$CAROL_RUN" -H "Authorization: Bearer $CAROL_ALONE" "${IN_B[@]}") == 404 ]] ||
  fail "carol's token without the group reached team-b"
[[ $(status GET $MEMBERS/team-b/members "${ADMIN[@]}") == 200 ]] || fail "members of team-b"
json 'j.members.map(m => m.kind + ":" + m.principal + ":" + m.role).join(",")' <body |
  has -x 'group:ml-team:editor' || fail "team-b members: $(cat body)"

echo "--- member changes are in the audit log"
[[ $(status GET "/api/ferry/v1/audit?user=admin" "${ADMIN[@]}") == 200 ]] || fail "audit"
has "workspace 'team-a', user 'bob'" body || fail "no audit entry for bob's role: $(cat body)"
has "workspace 'team-b', group 'ml-team'" body || fail "no audit entry for the group: $(cat body)"
stop_server
echo "PASS"
