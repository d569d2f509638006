#!/usr/bin/env bash
# The routes MLflow's web UI calls, against a real `ferry server`, with MLflow 2.12.2's
# answers: /get-artifact and /model-versions/get-artifact (attachment, nosniff, guessed type,
# traversal refused), ajax-api upload-artifact (10 MB cap, atomic), metrics/get-history-bulk,
# metrics/get-history-bulk-interval (the sampled steps equal those of MLflow's own
# _get_sampled_steps, run from the vendored MLflow source on the same step lists) and
# experiments/search-datasets, with their error codes and texts.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
PY=${FERRY_PYTHON:-/usr/bin/python3}
cd "$WORK"
start_server

# call METHOD PATH [curl args...]: sets BODY, STATUS and HEADERS (lowercased names).
call() {
  local method=$1 path=$2
  shift 2
  : >body.out
  : >headers.out
  STATUS=$(curl -sS -X "$method" -o body.out -D headers.out -w '%{http_code}' "$@" "$URL$path" || true)
  BODY=$(cat body.out)
  HEADERS=$(tr -d '\r' <headers.out | sed 's/^\([^:]*\):/\L\1:/')
}

# expect_error STATUS ERROR_CODE MESSAGE METHOD PATH [curl args...]
expect_error() {
  local status=$1 code=$2 message=$3
  shift 3
  call "$@"
  [[ $STATUS == "$status" ]] || fail "$1 $2: status $STATUS, expected $status: $BODY"
  local got
  got=$(printf '%s' "$BODY" | json 'j.error_code + "|" + j.message')
  [[ $got == "$code|$message" ]] || fail "$1 $2: got '$got', expected '$code|$message'"
  if printf '%s' "$BODY" | has -F "$WORK"; then fail "$1 $2 leaks a server path: $BODY"; fi
}

header() { printf '%s\n' "$HEADERS" | sed -n "s/^$1: //p"; }

SEE_DOCS=" See the API docs for more information about request parameters."
EXP=$(api POST experiments/create '{"name": "ui"}' | json j.experiment_id)
R1=$(api POST runs/create "{\"experiment_id\": \"$EXP\"}" | json j.run.info.run_id)
R2=$(api POST runs/create "{\"experiment_id\": \"$EXP\"}" | json j.run.info.run_id)

# ---- metrics: r1 has steps 0..9999, r2 steps 0..99 and 20000 ----
"$PY" - "$R1" "$R2" <<'EOF' >batches.txt
import json, sys
r1, r2 = sys.argv[1], sys.argv[2]
points = [(r1, s) for s in range(10000)] + [(r2, s) for s in list(range(100)) + [20000]]
for i in range(0, len(points), 1000):
    chunk = points[i:i + 1000]
    by_run = {}
    for run, s in chunk:
        by_run.setdefault(run, []).append({"key": "loss", "value": s / 2, "timestamp": 1000 + s, "step": s})
    for run, metrics in by_run.items():
        print(json.dumps({"run_id": run, "metrics": metrics}))
EOF
while read -r batch; do api POST runs/log-batch "$batch" >/dev/null; done <batches.txt

# MLflow's own _get_sampled_steps and _get_sampled_steps_from_steps, read from the vendored
# MLflow source and run over a store that lists the same steps.
tar -xzf "$HERE/../clients/mlflow-python/mlflow-2.12.2-client.tar.gz" ./mlflow/server/handlers.py
cat >mlflow_steps.py <<'EOF'
import ast, bisect, json, sys
from typing import List, Set
tree = ast.parse(open("mlflow/server/handlers.py").read())
funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
inner = [n for n in ast.walk(funcs["get_metric_history_bulk_interval_handler"])
         if isinstance(n, ast.FunctionDef) and n.name == "_get_sampled_steps"][0]
steps = {"R1": list(range(10000)), "R2": list(range(100)) + [20000]}
class Point:
    def __init__(self, step): self.step = step
class Store:
    def get_metric_history(self, run_id, key): return [Point(s) for s in steps[run_id]]
args = dict(a.split("=", 1) for a in sys.argv[3:])
ns = {"bisect": bisect, "List": List, "Set": Set, "args": args, "store": Store()}
module = ast.Module(body=[funcs["_get_sampled_steps_from_steps"], inner], type_ignores=[])
exec(compile(module, "handlers.py", "exec"), ns)
print(json.dumps(ns["_get_sampled_steps"](sys.argv[1].split(","), "loss", int(sys.argv[2]))))
EOF

# check_interval RUNS(R1,R2) MAX [start_step=A end_step=B]: Ferry's steps per run are MLflow's.
check_interval() {
  local runs=$1 max=$2 query="" expected got r
  shift 2
  for r in ${runs//,/ }; do query+="&run_ids=${!r}"; done
  for kv in "$@"; do query+="&$kv"; done
  expected=$("$PY" mlflow_steps.py "$runs" "$max" "$@")
  call GET "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?metric_key=loss&max_results=$max$query"
  [[ $STATUS == 200 ]] || fail "interval $runs $max $*: $STATUS $BODY"
  for r in ${runs//,/ }; do
    got=$(printf '%s' "$BODY" | json "JSON.stringify((j.metrics||[]).filter(m => m.run_id == '${!r}').map(m => m.step))")
    want=$(printf '%s' "$expected" | json "JSON.stringify(j.filter(s => ('$r' == 'R1' ? s < 10000 : s < 100 || s == 20000)))")
    [[ $got == "$want" ]] || fail "interval $runs $max $* run $r: steps differ from MLflow's"
  done
}
check_interval R1 320
[[ $(printf '%s' "$BODY" | json 'j.metrics.length') == 321 ]] || fail "10,000 steps at 320: not 321 points"
printf '%s' "$BODY" | json 'j.metrics[1]' | has -F '{"key":"loss","value":15.5,"timestamp":1031,"step":31,"run_id"' ||
  fail "interval point shape: $(printf '%s' "$BODY" | json 'j.metrics[1]')"
check_interval R1,R2 320
check_interval R1,R2 2500
check_interval R1 50 start_step=100 end_step=5000
check_interval R2,R1 7 start_step=0 end_step=20000
call GET "/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=$R1&metric_key=nope"
[[ $STATUS == 200 && $BODY == "{}" ]] || fail "interval without points: $STATUS $BODY"

IV="/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval"
many=$(for i in $(seq 1 101); do printf '&run_ids=r%d' "$i"; done)
expect_error 400 INVALID_PARAMETER_VALUE "Missing value for required parameter 'run_ids'.$SEE_DOCS" GET "$IV?metric_key=loss"
expect_error 400 INVALID_PARAMETER_VALUE "GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids.$SEE_DOCS" GET "$IV?metric_key=loss$many"
expect_error 400 INVALID_PARAMETER_VALUE "Missing value for required parameter 'metric_key'.$SEE_DOCS" GET "$IV?run_ids=$R1"
expect_error 400 INVALID_PARAMETER_VALUE "max_results must be between 1 and 2500.$SEE_DOCS" GET "$IV?run_ids=$R1&metric_key=loss&max_results=0"
expect_error 400 INVALID_PARAMETER_VALUE "max_results must be between 1 and 2500.$SEE_DOCS" GET "$IV?run_ids=$R1&metric_key=loss&max_results=2501"
expect_error 400 INVALID_PARAMETER_VALUE "Invalid value abc for parameter 'max_results' supplied. Hint: Value was of type 'str'.$SEE_DOCS" GET "$IV?run_ids=$R1&metric_key=loss&max_results=abc"
expect_error 400 INVALID_PARAMETER_VALUE "If either start step or end step are specified, both must be specified." GET "$IV?run_ids=$R1&metric_key=loss&start_step=5"
expect_error 400 INVALID_PARAMETER_VALUE "If either start step or end step are specified, both must be specified." GET "$IV?run_ids=$R1&metric_key=loss&end_step=5"
expect_error 400 INVALID_PARAMETER_VALUE "end_step must be greater than start_step. Found start_step=9 and end_step=3." GET "$IV?run_ids=$R1&metric_key=loss&start_step=9&end_step=3"

# ---- metrics/get-history-bulk (ajax-api only) ----
BULK="/ajax-api/2.0/mlflow/metrics/get-history-bulk"
first=$(printf '%s\n%s\n' "$R1" "$R2" | sort | head -1)
call GET "$BULK?run_id=$R2&run_id=$R1&metric_key=loss&max_results=3"
[[ $STATUS == 200 ]] || fail "bulk: $STATUS $BODY"
[[ $(printf '%s' "$BODY" | json 'j.metrics.map(m => m.run_id + ":" + m.step).join(",")') == "$first:0,$first:1,$first:2" ]] ||
  fail "bulk order/limit: $BODY"
call GET "$BULK?run_id=$R1&run_id=$R2&metric_key=loss"
[[ $(printf '%s' "$BODY" | json 'j.metrics.length') == 10101 ]] || fail "bulk: all 10,101 points expected"
call GET "$BULK?run_id=nope&metric_key=loss"
[[ $STATUS == 200 && $BODY == '{"metrics":[]}' ]] || fail "bulk for an unknown run: $STATUS $BODY"
expect_error 400 INVALID_PARAMETER_VALUE "GetMetricHistoryBulk request must specify at least one run_id." GET "$BULK?metric_key=loss"
expect_error 400 INVALID_PARAMETER_VALUE "GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 101 run_ids." GET "$BULK?metric_key=loss${many//run_ids/run_id}"
expect_error 400 INVALID_PARAMETER_VALUE "GetMetricHistoryBulk request must specify a metric_key." GET "$BULK?run_id=$R1"
# MLflow serves this route under /ajax-api only.
call GET "/api/2.0/mlflow/metrics/get-history-bulk?run_id=$R1&metric_key=loss"
[[ $STATUS == 404 ]] || fail "get-history-bulk under /api/2.0: $STATUS"

# ---- experiments/search-datasets ----
api POST runs/log-inputs "{\"run_id\": \"$R1\", \"datasets\": [{\"tags\": [{\"key\": \"mlflow.data.context\", \"value\": \"training\"}], \"dataset\": {\"name\": \"train\", \"digest\": \"d1\", \"source_type\": \"local\", \"source\": \"{}\"}}]}" >/dev/null
api POST runs/log-inputs "{\"run_id\": \"$R2\", \"datasets\": [{\"dataset\": {\"name\": \"eval\", \"digest\": \"d2\", \"source_type\": \"local\", \"source\": \"{}\"}}]}" >/dev/null
SD="/ajax-api/2.0/mlflow/experiments/search-datasets"
call POST "$SD" -H 'Content-Type: application/json' -d "{\"experiment_ids\": [\"$EXP\"]}"
[[ $STATUS == 200 ]] || fail "search-datasets: $STATUS $BODY"
[[ $BODY == "{\"dataset_summaries\":[{\"experiment_id\":\"$EXP\",\"name\":\"eval\",\"digest\":\"d2\",\"context\":null},{\"experiment_id\":\"$EXP\",\"name\":\"train\",\"digest\":\"d1\",\"context\":\"training\"}]}" ]] ||
  fail "search-datasets body: $BODY"
call POST "$SD" -H 'Content-Type: application/json' -d '{"experiment_ids": ["0", "12345"]}'
[[ $BODY == '{"dataset_summaries":[]}' ]] || fail "search-datasets without datasets: $BODY"
expect_error 400 INVALID_PARAMETER_VALUE "Bad Request. Content-Type must be one of ['application/json']." POST "$SD" -H 'Content-Type: text/plain' -d '{"experiment_ids": ["1"]}'
expect_error 400 INVALID_PARAMETER_VALUE "Bad Request. Content-Type header is missing." POST "$SD" -H 'Content-Type:' -d '{"experiment_ids": ["1"]}'
ids21=$(seq 1 21 | paste -sd, -)
expect_error 400 INVALID_PARAMETER_VALUE "SearchDatasets request must specify at least one experiment_id." POST "$SD" -H 'Content-Type: application/json' -d '{}'
expect_error 400 INVALID_PARAMETER_VALUE "SearchDatasets request cannot specify more than 20 experiment_ids. Received 21 experiment_ids." POST "$SD" -H 'Content-Type: application/json' -d "{\"experiment_ids\": [$ids21]}"

# ---- upload-artifact, then /get-artifact ----
UP="/ajax-api/2.0/mlflow/upload-artifact"
printf 'hello ui' >hello.txt
call POST "$UP?run_uuid=$R1&path=notes/hello.txt" --data-binary @hello.txt
[[ $STATUS == 200 && -z $BODY ]] || fail "upload-artifact: $STATUS $BODY"
[[ $(header content-type) == application/json ]] || fail "upload-artifact content type: $HEADERS"
call GET "/get-artifact?run_uuid=$R1&path=notes/hello.txt"
[[ $STATUS == 200 && $BODY == "hello ui" ]] || fail "get-artifact: $STATUS $BODY"
[[ $(header content-type) == text/plain ]] || fail "get-artifact type: $HEADERS"
[[ $(header content-disposition) == "attachment; filename=hello.txt" ]] || fail "disposition: $HEADERS"
[[ $(header x-content-type-options) == nosniff ]] || fail "nosniff: $HEADERS"
call GET "/get-artifact?run_uuid=$R1&path=notes/hello.txt" -H 'Range: bytes=2-4'
[[ $STATUS == 206 && $BODY == "llo" && $(header content-range) == "bytes 2-4/8" ]] ||
  fail "a range of an artifact: $STATUS $BODY $HEADERS"
call GET "/get-artifact?run_uuid=$R1&path=notes/hello.txt" -H 'Range: bytes=8-'
[[ $STATUS == 416 && $(header content-range) == "bytes */8" ]] || fail "a range past the end: $STATUS"
api GET "artifacts/list?run_id=$R1&path=notes" | has -F '"path":"notes/hello.txt"' || fail "artifacts/list"
# Types as MLflow guesses them; names that are not tokens are quoted.
printf '<script>alert(1)</script>' >page.html
call POST "$UP?run_uuid=$R1&path=page.html" --data-binary @page.html
call GET "/get-artifact?run_id=$R1&path=page.html"
[[ $(header content-type) == text/html && $(header content-disposition) == "attachment; filename=page.html" ]] ||
  fail "html artifact headers: $HEADERS"
call POST "$UP?run_uuid=$R1&path=my%20plot.png" --data-binary @hello.txt
call GET "/get-artifact?run_id=$R1&path=my%20plot.png"
[[ $(header content-type) == image/png && $(header content-disposition) == 'attachment; filename="my plot.png"' ]] ||
  fail "png artifact headers: $HEADERS"
# What the UI previews (PDF in a frame, audio in <audio>): typed, still attachments with
# nosniff and a sandbox, 206 for a range (what <audio> asks for when seeking). .ogg, .oga and
# .flac are Ferry's additions to Python's table (MLflow: application/octet-stream).
printf '%%PDF-1.4 not really' >doc.pdf
for f in doc.pdf:application/pdf tone.wav:audio/x-wav tone.mp3:audio/mpeg tone.ogg:audio/ogg \
  tone.oga:audio/ogg tone.flac:audio/flac; do
  call POST "$UP?run_uuid=$R1&path=media/${f%%:*}" --data-binary @doc.pdf
  call GET "/get-artifact?run_id=$R1&path=media/${f%%:*}"
  [[ $STATUS == 200 && $(header content-type) == "${f#*:}" &&
    $(header content-disposition) == "attachment; filename=${f%%:*}" &&
    $(header x-content-type-options) == nosniff && $(header content-security-policy) == sandbox &&
    $(header accept-ranges) == bytes ]] || fail "${f%%:*} headers: $STATUS $HEADERS"
done
call GET "/get-artifact?run_id=$R1&path=media/tone.ogg" -H 'Range: bytes=0-3'
[[ $STATUS == 206 && $BODY == "%PDF" && $(header content-range) == "bytes 0-3/19" &&
  $(header content-type) == audio/ogg ]] || fail "a range of an audio artifact: $STATUS $BODY $HEADERS"
call POST "$UP?run_uuid=$R1&path=model/MLmodel" --data-binary $'flavors: {}\n'
call GET "/get-artifact?run_id=$R1&path=model/MLmodel"
[[ $STATUS == 200 && $(header content-type) == text/plain ]] || fail "MLmodel: $STATUS $HEADERS"

GA="/get-artifact?run_id=$R1"
for bad in ../../etc/passwd notes/../../x %2e%2e/x %252e%252e%252fx /etc/passwd %2Fetc%2Fpasswd file:///etc/passwd 'a%23b'; do
  expect_error 400 INVALID_PARAMETER_VALUE "Invalid path" GET "$GA&path=$bad"
  expect_error 400 INVALID_PARAMETER_VALUE "Invalid path" POST "$UP?run_uuid=$R1&path=$bad" --data-binary @hello.txt
done
expect_error 404 RESOURCE_DOES_NOT_EXIST "Run with id=None not found" GET "/get-artifact?path=notes/hello.txt"
expect_error 404 RESOURCE_DOES_NOT_EXIST "Run with id=nope not found" GET "/get-artifact?run_id=nope&path=notes/hello.txt"
call GET "$GA&path=notes/missing.txt"
[[ $STATUS == 404 ]] || fail "a missing artifact: $STATUS $BODY"
if printf '%s' "$BODY" | has -F "$WORK"; then fail "a missing artifact leaks a path: $BODY"; fi

expect_error 400 INVALID_PARAMETER_VALUE "Request must specify run_uuid." POST "$UP?path=a.txt" --data-binary @hello.txt
expect_error 400 INVALID_PARAMETER_VALUE "Request must specify path." POST "$UP?run_uuid=$R1" --data-binary @hello.txt
expect_error 400 INVALID_PARAMETER_VALUE "Request must specify data." POST "$UP?run_uuid=$R1&path=empty.txt"
expect_error 404 RESOURCE_DOES_NOT_EXIST "Run with id=nope not found" POST "$UP?run_uuid=nope&path=a.txt" --data-binary @hello.txt
head -c $((10 * 1024 * 1024 + 1)) /dev/zero >big.bin
expect_error 400 INVALID_PARAMETER_VALUE "Artifact size is too large. Max size is 10MB." POST "$UP?run_uuid=$R1&path=big.bin" --data-binary @big.bin
expect_error 400 INVALID_PARAMETER_VALUE "Artifact size is too large. Max size is 10MB." POST "$UP?run_uuid=$R1&path=big.bin" -H 'Transfer-Encoding: chunked' --data-binary @big.bin
call GET "$GA&path=big.bin"
[[ $STATUS == 404 ]] || fail "a refused upload left a file: $STATUS"
head -c $((10 * 1024 * 1024)) /dev/urandom >ok.bin
call POST "$UP?run_uuid=$R1&path=ok.bin" --data-binary @ok.bin
[[ $STATUS == 200 ]] || fail "a 10 MB upload: $STATUS $BODY"
curl -sS "$URL$GA&path=ok.bin" -o back.bin
cmp -s ok.bin back.bin || fail "the 10 MB artifact came back different"
curl -sS -r 5000000-5000099 "$URL$GA&path=ok.bin" -o part.bin
cmp -s part.bin <(tail -c +5000001 ok.bin | head -c 100) || fail "a range of the 10 MB artifact (sendfile) differs"

# A run whose experiment points into packages/ cannot write there (packages are verified).
EVIL=$(api POST experiments/create '{"name": "evil", "artifact_location": "mlflow-artifacts:/packages/sha256-x"}' | json j.experiment_id)
RE=$(api POST runs/create "{\"experiment_id\": \"$EVIL\"}" | json j.run.info.run_id)
call POST "$UP?run_uuid=$RE&path=blobs/x" --data-binary @hello.txt
[[ $STATUS == 403 ]] || fail "upload-artifact into packages/: $STATUS $BODY"

# ---- /model-versions/get-artifact ----
api POST registered-models/create '{"name": "m"}' >/dev/null
api POST model-versions/create "{\"name\": \"m\", \"source\": \"mlflow-artifacts:/$EXP/$R1/artifacts/model\", \"run_id\": \"$R1\"}" >/dev/null
api POST model-versions/create "{\"name\": \"m\", \"source\": \"runs:/$R1/model\", \"run_id\": \"$R1\"}" >/dev/null
for v in 1 2; do
  call GET "/model-versions/get-artifact?name=m&version=$v&path=MLmodel"
  [[ $STATUS == 200 && $BODY == "flavors: {}" && $(header content-type) == text/plain ]] ||
    fail "model version $v MLmodel: $STATUS $BODY $HEADERS"
  [[ $(header content-disposition) == "attachment; filename=MLmodel" && $(header x-content-type-options) == nosniff ]] ||
    fail "model version $v headers: $HEADERS"
done
MV="/model-versions/get-artifact"
expect_error 404 RESOURCE_DOES_NOT_EXIST "Model Version (name=m, version=9) not found" GET "$MV?name=m&version=9&path=MLmodel"
expect_error 404 RESOURCE_DOES_NOT_EXIST "Model Version (name=nope, version=1) not found" GET "$MV?name=nope&version=1&path=MLmodel"
expect_error 400 INVALID_PARAMETER_VALUE "Model version must be an integer, got 'abc'" GET "$MV?name=m&version=abc&path=MLmodel"
expect_error 400 INVALID_PARAMETER_VALUE "Registered model name cannot be empty." GET "$MV?version=1&path=MLmodel"
expect_error 400 INVALID_PARAMETER_VALUE "Invalid path" GET "$MV?name=m&version=1&path=../../notes/hello.txt"
expect_error 400 INVALID_PARAMETER_VALUE "Invalid path" GET "$MV?name=m&version=1&path=%252e%252e/x"

stop_server
echo "PASS mlflow_ui_routes"
