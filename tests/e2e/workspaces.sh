#!/usr/bin/env bash
# `ferry server --enable-workspaces` (docs/AUTH.md, Workspaces) with the real MLflow 2.12.2
# Python client, which sends X-MLFLOW-WORKSPACE through a request-header provider registered
# with its plugin registry (MLflow 3 sends it from MLFLOW_WORKSPACE itself), and curl:
# MLflow 3's workspace API, the same experiment name in two workspaces, another workspace's
# experiments, runs, metrics and artifacts answering 404, searches staying in their workspace,
# a keep-alive connection's next request back in `default`; then with --auth: 401 before any
# workspace answer, only admins change workspaces, creating needs a role, no role hides one.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"
start_server --enable-workspaces

# status METHOD PATH [CURL ARGS...]: the HTTP status only; the body is in $WORK/body.
status() {
  local method=$1 path=$2
  shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$@" "$URL$path"
}
WS=/api/3.0/mlflow/workspaces
JSON=(-H 'Content-Type: application/json')

echo "--- MLflow 3's workspace API"
for name in team-a team-b; do
  [[ $(status POST $WS "${JSON[@]}" --data "{\"name\":\"$name\",\"description\":\"d-$name\"}") == 201 ]] ||
    fail "create $name: $(cat body)"
done
json 'j.workspace.name + " " + j.workspace.description' <body | has -x 'team-b d-team-b' || fail "create body: $(cat body)"
[[ $(status POST $WS "${JSON[@]}" --data '{"name":"team-a"}') == 400 ]] || fail "second team-a"
has RESOURCE_ALREADY_EXISTS body || fail "duplicate: $(cat body)"
[[ $(status POST $WS "${JSON[@]}" --data '{"name":"Team_A"}') == 400 ]] || fail "bad name accepted"
has 'must match the pattern' body || fail "bad name: $(cat body)"
[[ $(status GET $WS) == 200 ]] || fail "list"
json 'j.workspaces.map(w => w.name).join(",")' <body | has -x 'default,team-a,team-b' || fail "list: $(cat body)"
[[ $(status PATCH $WS/team-b "${JSON[@]}" --data '{"description":"second"}') == 200 ]] || fail "update"
[[ $(status GET $WS/team-b) == 200 ]] && has '"description":"second"' body || fail "get: $(cat body)"
[[ $(status GET $WS/nope) == 404 ]] || fail "get of a missing workspace"

echo "--- the header: malformed 400, unknown 404, absent or empty: default"
[[ $(status GET /api/2.0/mlflow/experiments/search -H 'X-MLFLOW-WORKSPACE: ../x') == 400 ]] ||
  fail "malformed header"
has INVALID_PARAMETER_VALUE body && has 'X-MLFLOW-WORKSPACE' body || fail "400 body: $(cat body)"
[[ $(status GET /api/2.0/mlflow/experiments/search -H 'X-MLFLOW-WORKSPACE: nope') == 404 ]] ||
  fail "unknown workspace"
has RESOURCE_DOES_NOT_EXIST body && has "Workspace 'nope' not found" body || fail "404 body: $(cat body)"
[[ $(status GET /health -H 'X-MLFLOW-WORKSPACE: nope') == 200 ]] || fail "health in a missing workspace"

echo "--- two workspaces through the MLflow Python client"
/usr/bin/python3 - "$URL" <<'PY' >ids.txt || fail "MLflow client across workspaces"
import os, sys, tempfile
import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.tracking.request_header.abstract_request_header_provider import RequestHeaderProvider
from mlflow.tracking.request_header.registry import _request_header_provider_registry

class WorkspaceHeader(RequestHeaderProvider):
    def in_context(self):
        return bool(os.environ.get("MLFLOW_WORKSPACE"))
    def request_headers(self):
        return {"X-MLFLOW-WORKSPACE": os.environ["MLFLOW_WORKSPACE"]}

_request_header_provider_registry.register(WorkspaceHeader)
mlflow.set_tracking_uri(sys.argv[1])
client = MlflowClient()

def use(workspace):
    if workspace:
        os.environ["MLFLOW_WORKSPACE"] = workspace
    else:
        os.environ.pop("MLFLOW_WORKSPACE", None)

def missing(what, call):
    # MlflowException from the REST calls; requests' HTTPError from the artifact repository,
    # which the client keeps per run id (so it does not ask runs/get again).
    try:
        call()
    except Exception as e:
        assert "RESOURCE_DOES_NOT_EXIST" in str(e), (what, e)
        return
    raise SystemExit(what + " crossed workspaces")

made = {}
for ws in ("team-a", "team-b"):
    use(ws)
    exp = mlflow.set_experiment("churn")  # the same name in both
    with mlflow.start_run() as run:
        mlflow.log_param("ws", ws)
        mlflow.log_metric("acc", 0.5 if ws == "team-a" else 0.7, step=1)
        path = os.path.join(tempfile.mkdtemp(), "note.txt")
        open(path, "w").write(ws)
        mlflow.log_artifact(path)
    made[ws] = (exp.experiment_id, run.info.run_id)
assert made["team-a"][0] != made["team-b"][0], made

use("team-a")
a_exp, a_run = made["team-a"]
b_exp, b_run = made["team-b"]
names = [(e.name, e.experiment_id) for e in client.search_experiments()]
assert names == [("churn", a_exp)], names
assert client.get_experiment_by_name("churn").experiment_id == a_exp
assert client.get_run(a_run).data.params == {"ws": "team-a"}
assert [m.value for m in client.get_metric_history(a_run, "acc")] == [0.5]
assert [f.path for f in client.list_artifacts(a_run)] == ["note.txt"]
runs = client.search_runs([a_exp])
assert [r.info.run_id for r in runs] == [a_run], runs

missing("get_experiment", lambda: client.get_experiment(b_exp))
missing("get_run", lambda: client.get_run(b_run))
missing("get_metric_history", lambda: client.get_metric_history(b_run, "acc"))
missing("list_artifacts", lambda: client.list_artifacts(b_run))
missing("download_artifacts", lambda: client.download_artifacts(b_run, "note.txt", tempfile.mkdtemp()))
missing("search_runs", lambda: client.search_runs([b_exp]))
missing("log_metric", lambda: client.log_metric(b_run, "acc", 1.0))
missing("set_tag", lambda: client.set_tag(b_run, "x", "y"))
missing("create_run", lambda: client.create_run(b_exp))
missing("rename_experiment", lambda: client.rename_experiment(b_exp, "stolen"))
missing("delete_run", lambda: client.delete_run(b_run))
missing("delete_experiment", lambda: client.delete_experiment(b_exp))

use(None)  # default: the Default experiment only
names = [e.name for e in client.search_experiments()]
assert names == ["Default"], names
missing("get_experiment from default", lambda: client.get_experiment(a_exp))
assert client.get_experiment_by_name("churn") is None  # the client's answer to a 404

use("team-b")  # team-b's run is untouched by what team-a tried
run = client.get_run(b_run)
assert run.info.lifecycle_stage == "active" and "x" not in run.data.tags, run
assert [m.value for m in client.get_metric_history(b_run, "acc")] == [0.7]
assert client.get_experiment(b_exp).name == "churn"
print(a_exp, a_run, b_exp, b_run)
PY
read -r A_EXP A_RUN B_EXP B_RUN <ids.txt
[[ -n $B_RUN ]] || fail "no ids: $(cat ids.txt)"

echo "--- the UI's routes and the artifact proxy stay in their workspace too"
A=(-H 'X-MLFLOW-WORKSPACE: team-a')
[[ $(status GET "/get-artifact?run_uuid=$B_RUN&path=note.txt" "${A[@]}") == 404 ]] || fail "get-artifact"
[[ $(status GET "/get-artifact?run_uuid=$A_RUN&path=note.txt" "${A[@]}") == 200 ]] || fail "own get-artifact"
[[ $(cat body) == team-a ]] || fail "own artifact: $(cat body)"
[[ $(status GET "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=$B_RUN&metric_key=acc" "${A[@]}") == 404 ]] ||
  fail "get-history-bulk-interval"
[[ $(status GET "/api/2.0/mlflow-artifacts/artifacts/$B_EXP/$B_RUN/artifacts/note.txt" "${A[@]}") == 404 ]] ||
  fail "artifact proxy download"
[[ $(status PUT "/api/2.0/mlflow-artifacts/artifacts/$B_EXP/$B_RUN/artifacts/evil.txt" "${A[@]}" --data x) == 404 ]] ||
  fail "artifact proxy upload"
[[ $(status GET "/api/2.0/mlflow-artifacts/artifacts?path=" "${A[@]}") == 403 ]] ||
  fail "the artifact root listing across experiments"
[[ $(status POST /ajax-api/2.0/mlflow/experiments/search-datasets "${A[@]}" "${JSON[@]}" --data "{\"experiment_ids\":[\"$B_EXP\"]}") == 404 ]] ||
  fail "search-datasets"
[[ $(status GET "/api/ferry/v1/runs/export.csv?experiment_ids=$B_EXP" "${A[@]}") == 404 ]] || fail "export.csv"

echo "--- a keep-alive connection's next request is in default again"
curl -s "${A[@]}" "$URL/api/2.0/mlflow/experiments/search?max_results=10" -o first.json \
  --next "$URL/api/2.0/mlflow/experiments/search?max_results=10" -o second.json
json 'j.experiments.map(e => e.name).join(",")' <first.json | has -x churn || fail "first: $(cat first.json)"
json 'j.experiments.map(e => e.name).join(",")' <second.json | has -x Default || fail "second: $(cat second.json)"

echo "--- deleting: only empty workspaces, never default"
[[ $(status DELETE $WS/team-b) == 400 ]] || fail "deleted a workspace with experiments"
has 'still holds 1 experiment' body || fail "delete body: $(cat body)"
[[ $(status DELETE $WS/default) == 400 ]] || fail "deleted default"
[[ $(status POST $WS "${JSON[@]}" --data '{"name":"empty"}') == 201 ]] || fail "create empty"
[[ $(status DELETE $WS/empty) == 204 ]] || fail "delete empty: $(cat body)"
[[ $(status GET $WS/empty) == 404 ]] || fail "deleted workspace still there"
stop_server

echo "--- with --auth: 401 first, admins change workspaces, creating needs a role, no role hides"
rm -rf "$WORK/data"
export FERRY_ADMIN_PASSWORD=admin-secret-1
start_server --enable-workspaces --auth --auth-default-permission NO_PERMISSIONS
ADMIN=(-u admin:admin-secret-1)
[[ $(status GET /api/2.0/mlflow/experiments/search -H 'X-MLFLOW-WORKSPACE: nope') == 401 ]] ||
  fail "an anonymous caller learnt about a workspace"
[[ $(status POST $WS "${ADMIN[@]}" "${JSON[@]}" --data '{"name":"team-a"}') == 201 ]] || fail "admin create"
for user in alice bob; do
  [[ $(status POST /api/2.0/mlflow/users/create "${ADMIN[@]}" "${JSON[@]}" \
    --data "{\"username\":\"$user\",\"password\":\"$user-password-1\"}") == 200 ]] || fail "user $user"
done
ALICE=(-u alice:alice-password-1)
BOB=(-u bob:bob-password-1)
[[ $(status GET /api/2.0/mlflow/experiments/search "${ALICE[@]}" -H 'X-MLFLOW-WORKSPACE: nope') == 404 ]] ||
  fail "a user in a missing workspace"
[[ $(status GET /api/ferry/v1/auth/routes "${ADMIN[@]}") == 200 ]] || fail "route listing"
json 'j.routes.filter(r => /mlflow\/workspaces/.test(r.pattern)).map(r => r.access).join(",")' <body |
  has -x 'admin,user,user,admin,admin,admin,user,user,admin,admin' || fail "workspace routes: $(cat body)"
[[ $(status POST $WS "${ALICE[@]}" "${JSON[@]}" --data '{"name":"mine"}') == 403 ]] || fail "a user made a workspace"
[[ $(status DELETE $WS/team-a "${ALICE[@]}") == 403 ]] || fail "a user deleted a workspace"
[[ $(status GET $WS "${ALICE[@]}") == 200 ]] || fail "a user cannot list workspaces"
[[ $(status POST /api/2.0/mlflow/experiments/create "${ALICE[@]}" "${A[@]}" "${JSON[@]}" --data '{"name":"secret"}') == 404 ]] ||
  fail "alice created in team-a without a role: $(cat body)"
has "Workspace 'team-a' not found" body || fail "team-a is not hidden from alice: $(cat body)"
[[ $(status PUT /api/ferry/v1/workspaces/team-a/members "${ADMIN[@]}" "${JSON[@]}" \
  --data '{"principal":"alice","kind":"user","role":"editor"}') == 200 ]] || fail "alice's role: $(cat body)"
[[ $(status POST /api/2.0/mlflow/experiments/create "${ALICE[@]}" "${A[@]}" "${JSON[@]}" --data '{"name":"secret"}') == 200 ]] ||
  fail "alice creates in team-a: $(cat body)"
EXP=$(json 'j.experiment_id' <body)
[[ $(status GET "/api/2.0/mlflow/experiments/get?experiment_id=$EXP" "${ALICE[@]}" "${A[@]}") == 200 ]] || fail "alice reads hers"
# bob holds no role in team-a: the workspace is hidden from him (e2e.workspace_roles has more).
[[ $(status GET "/api/2.0/mlflow/experiments/get?experiment_id=$EXP" "${BOB[@]}" "${A[@]}") == 404 ]] || fail "bob without a role"
[[ $(status GET "/api/2.0/mlflow/experiments/get?experiment_id=$EXP" "${ALICE[@]}") == 404 ]] || fail "alice from default"
[[ $(status GET "/api/2.0/mlflow/experiments/get?experiment_id=$EXP" "${ADMIN[@]}") == 404 ]] || fail "admin from default"
[[ $(status GET "/api/2.0/mlflow/experiments/get-by-name?experiment_name=secret" "${ALICE[@]}" "${A[@]}") == 200 ]] ||
  fail "get-by-name in team-a"
[[ $(status GET "/api/2.0/mlflow/experiments/search" "${ALICE[@]}" "${A[@]}") == 200 ]] || fail "search"
json 'j.experiments.map(e => e.name).join(",")' <body | has -x secret || fail "alice's search: $(cat body)"
[[ $(status GET "/api/2.0/mlflow/experiments/search" "${BOB[@]}" "${A[@]}") == 404 ]] || fail "bob's search"
has "Workspace 'team-a' not found" body || fail "bob sees: $(cat body)"
stop_server
echo "PASS"
