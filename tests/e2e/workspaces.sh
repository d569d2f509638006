#!/usr/bin/env bash
# `ferry server --enable-workspaces` (docs/AUTH.md, Workspaces) with the real MLflow 2.12.2
# Python client, which sends X-MLFLOW-WORKSPACE through a request-header provider registered
# with its plugin registry (MLflow 3 sends it from MLFLOW_WORKSPACE itself), and curl:
# MLflow 3's workspace API, the same experiment name in two workspaces, another workspace's
# experiments, runs, metrics and artifacts answering 404, searches staying in their workspace,
# a keep-alive connection's next request back in `default`; registered models per workspace
# (the same name in two, versions numbered apart, another workspace's model answering 404 on
# get, delete, alias, search and models:/ downloads, webhooks listed only in their own); then
# with --auth: 401 before any workspace answer, only admins change workspaces, creating needs a
# role, no role hides one, a grant on team-a's model does not open team-b's, and only admins
# list packages/.
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

echo "--- registered models: churn in team-a and team-b through the MLflow Python client"
/usr/bin/python3 - "$URL" "$A_RUN" "$B_RUN" <<'PY' || fail "MLflow client's registry across workspaces"
import os, sys, tempfile
import mlflow
from mlflow import MlflowClient
from mlflow.tracking.request_header.abstract_request_header_provider import RequestHeaderProvider
from mlflow.tracking.request_header.registry import _request_header_provider_registry

class WorkspaceHeader(RequestHeaderProvider):
    def in_context(self):
        return bool(os.environ.get("MLFLOW_WORKSPACE"))
    def request_headers(self):
        return {"X-MLFLOW-WORKSPACE": os.environ["MLFLOW_WORKSPACE"]}

_request_header_provider_registry.register(WorkspaceHeader)
url, a_run, b_run = sys.argv[1:4]
mlflow.set_tracking_uri(url)
client = MlflowClient()

def use(workspace):
    if workspace:
        os.environ["MLFLOW_WORKSPACE"] = workspace
    else:
        os.environ.pop("MLFLOW_WORKSPACE", None)

def missing(what, call):
    try:
        call()
    except Exception as e:
        assert "RESOURCE_DOES_NOT_EXIST" in str(e), (what, e)
        return
    raise SystemExit(what + " crossed workspaces")

def read_model(uri):
    out = mlflow.artifacts.download_artifacts(uri, dst_path=tempfile.mkdtemp())
    return open(os.path.join(out, "weights.txt")).read()

for ws, run, count in (("team-a", a_run, 1), ("team-b", b_run, 2)):
    use(ws)
    model_dir = tempfile.mkdtemp()
    open(os.path.join(model_dir, "weights.txt"), "w").write(ws)
    client.log_artifacts(run, model_dir, "model")
    client.create_registered_model("churn")  # the same name in both
    versions = [client.create_model_version("churn", f"runs:/{run}/model", run).version
                for _ in range(count)]
    assert versions == [str(n + 1) for n in range(count)], (ws, versions)  # numbered apart

use("team-a")
model = client.get_registered_model("churn")
assert [v.version for v in model.latest_versions] == ["1"], model
missing("team-b's version 2", lambda: client.get_model_version("churn", "2"))
client.set_registered_model_alias("churn", "prod", "1")
assert client.get_model_version_by_alias("churn", "prod").run_id == a_run
assert [m.name for m in client.search_registered_models()] == ["churn"]
assert [v.run_id for v in client.search_model_versions("name='churn'")] == [a_run]
assert read_model("models:/churn/1") == "team-a"
assert read_model("models:/churn@prod") == "team-a"

use(None)  # default has no churn
assert client.search_registered_models() == []
assert client.search_model_versions("name='churn'") == []
missing("get_registered_model", lambda: client.get_registered_model("churn"))
missing("get_model_version", lambda: client.get_model_version("churn", "1"))
missing("get_model_version_by_alias", lambda: client.get_model_version_by_alias("churn", "prod"))
missing("set alias", lambda: client.set_registered_model_alias("churn", "x", "1"))
missing("get_model_version_download_uri", lambda: client.get_model_version_download_uri("churn", "1"))
missing("models:/ download", lambda: read_model("models:/churn/1"))
missing("rename", lambda: client.rename_registered_model("churn", "stolen"))
missing("delete_model_version", lambda: client.delete_model_version("churn", "1"))
missing("delete_registered_model", lambda: client.delete_registered_model("churn"))

use("team-b")
assert [v.run_id for v in client.search_model_versions("name='churn'")] == [b_run, b_run]
assert client.get_registered_model("churn").aliases == {}, "team-a's alias shows in team-b"
assert read_model("models:/churn/2") == "team-b"
client.delete_registered_model("churn")
use("team-a")  # team-a's churn outlives team-b's
assert client.get_model_version_by_alias("churn", "prod").version == "1"
PY
[[ $(status GET "/model-versions/get-artifact?name=churn&version=1&path=weights.txt" "${A[@]}") == 200 ]] ||
  fail "the UI's model-version artifact in its workspace: $(cat body)"
[[ $(cat body) == team-a ]] || fail "model-version artifact: $(cat body)"
[[ $(status GET "/model-versions/get-artifact?name=churn&version=1&path=weights.txt") == 404 ]] ||
  fail "the UI's model-version artifact from default"
[[ $(status GET "/ajax-api/2.0/mlflow/registered-models/search" "${A[@]}") == 200 ]] || fail "UI search"
json 'j.registered_models.map(m => m.name).join(",")' <body | has -x churn || fail "UI search: $(cat body)"
grep -q $'\x1f' body && fail "a stored key reached the wire: $(cat body)"
[[ $(status POST /api/2.0/mlflow/registered-models/create "${JSON[@]}" --data '{"name":"a\u001fb"}') == 400 ]] ||
  fail "a name with U+001F"
has INVALID_PARAMETER_VALUE body && has 'U+001F' body || fail "U+001F: $(cat body)"

echo "--- webhooks belong to their workspace"
[[ $(status POST /api/ferry/v1/webhooks "${A[@]}" "${JSON[@]}" \
  --data '{"url":"http://127.0.0.1:9/hook","events":["model_version.created"]}') == 200 ]] ||
  fail "webhook in team-a: $(cat body)"
HOOK=$(json 'j.webhook.id' <body)
[[ $(status GET /api/ferry/v1/webhooks "${A[@]}") == 200 ]] && has "$HOOK" body || fail "team-a's list: $(cat body)"
[[ $(status GET /api/ferry/v1/webhooks) == 200 ]] && ! has "$HOOK" body || fail "default lists team-a's: $(cat body)"
[[ $(status GET "/api/ferry/v1/webhooks/$HOOK") == 404 ]] || fail "team-a's webhook from default"
[[ $(status DELETE "/api/ferry/v1/webhooks/$HOOK") == 404 ]] || fail "deleted team-a's webhook from default"
[[ $(status DELETE "/api/ferry/v1/webhooks/$HOOK" "${A[@]}") == 200 ]] || fail "delete in team-a: $(cat body)"

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

echo "--- with --auth: a grant on team-a's churn does not open team-b's"
B=(-H 'X-MLFLOW-WORKSPACE: team-b')
RM=/api/2.0/mlflow/registered-models
[[ $(status POST $WS "${ADMIN[@]}" "${JSON[@]}" --data '{"name":"team-b"}') == 201 ]] || fail "admin creates team-b"
for ws in team-a team-b; do # bob may read both; his grant decides where he may edit
  [[ $(status PUT /api/ferry/v1/workspaces/$ws/members "${ADMIN[@]}" "${JSON[@]}" \
    --data '{"principal":"bob","kind":"user","role":"viewer"}') == 200 ]] || fail "bob in $ws: $(cat body)"
done
[[ $(status POST $RM/create "${ALICE[@]}" "${A[@]}" "${JSON[@]}" --data '{"name":"churn"}') == 200 ]] ||
  fail "alice registers churn in team-a: $(cat body)"
[[ $(status POST $RM/create "${ADMIN[@]}" "${B[@]}" "${JSON[@]}" --data '{"name":"churn"}') == 200 ]] ||
  fail "admin registers churn in team-b: $(cat body)"
[[ $(status GET "$RM/get?name=churn" "${ALICE[@]}" "${A[@]}") == 200 ]] || fail "alice reads her churn"
[[ $(status GET "$RM/get?name=churn" "${ALICE[@]}" "${B[@]}") == 404 ]] ||
  fail "alice (no role in team-b) reached team-b's churn: $(cat body)"
[[ $(status POST $RM/permissions/create "${ADMIN[@]}" "${A[@]}" "${JSON[@]}" \
  --data '{"name":"churn","username":"bob","permission":"EDIT"}') == 200 ]] || fail "grant bob: $(cat body)"
update() { # WORKSPACE-ARGS... NAME: bob sets the model's description
  local name=${*: -1}
  status PATCH $RM/update "${BOB[@]}" "${@:1:$#-1}" "${JSON[@]}" --data "{\"name\":\"$name\",\"description\":\"bob\"}"
}
[[ $(update "${A[@]}" churn) == 200 ]] || fail "bob edits team-a's churn with his grant: $(cat body)"
[[ $(update "${B[@]}" churn) == 403 ]] || fail "bob's grant opened team-b's churn: $(cat body)"
[[ $(status DELETE $RM/delete "${BOB[@]}" "${B[@]}" "${JSON[@]}" --data '{"name":"churn"}') == 403 ]] ||
  fail "bob deleted team-b's churn: $(cat body)"
[[ $(status GET "$RM/permissions/get?name=churn&username=bob" "${ADMIN[@]}" "${B[@]}") == 404 ]] ||
  fail "bob's team-a grant shows in team-b"
[[ $(status GET "$RM/search" "${BOB[@]}" "${A[@]}") == 200 ]] || fail "bob's model search"
json 'j.registered_models.map(m => m.name).join(",")' <body | has -x churn || fail "bob's search: $(cat body)"
[[ $(status GET "/api/2.0/mlflow/users/get?username=bob" "${ADMIN[@]}" "${A[@]}") == 200 ]] || fail "users/get"
json 'j.user.registered_model_permissions.map(p => p.name).join(",")' <body | has -x churn ||
  fail "bob's grants in team-a: $(cat body)"
[[ $(status GET "/api/2.0/mlflow/users/get?username=bob" "${ADMIN[@]}" "${B[@]}") == 200 ]] || fail "users/get b"
json 'j.user.registered_model_permissions.length' <body | has -x 0 || fail "bob's grants in team-b: $(cat body)"
[[ $(status POST $RM/rename "${ALICE[@]}" "${A[@]}" "${JSON[@]}" --data '{"name":"churn","new_name":"churn2"}') == 200 ]] ||
  fail "alice renames team-a's churn: $(cat body)"
[[ $(update "${A[@]}" churn2) == 200 ]] || fail "bob's grant did not follow the rename: $(cat body)"
[[ $(status GET "$RM/get?name=churn" "${ADMIN[@]}" "${B[@]}") == 200 ]] || fail "team-b's churn after team-a's rename"

echo "--- with --auth: listing packages/ (every workspace's digests) is for admins"
[[ $(status GET "/api/2.0/mlflow-artifacts/artifacts?path=packages" "${ALICE[@]}" "${A[@]}") == 403 ]] ||
  fail "alice listed packages/: $(cat body)"
has 'only admins may list packages/' body || fail "packages/ refusal: $(cat body)"
[[ $(status GET "/api/2.0/mlflow-artifacts/artifacts?path=packages/" "${ADMIN[@]}" "${A[@]}") == 200 ]] ||
  fail "the admin's packages/ listing: $(cat body)"
stop_server
echo "PASS"
