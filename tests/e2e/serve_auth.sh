#!/usr/bin/env bash
# `ferry serve --auth` (issue 15; docs/AUTH.md, "Inference servers"), with curl against a
# served logistic regression: the token file created at first start (tokens shown once, only
# hashes stored), health open, 401 with `WWW-Authenticate: Bearer` in OIP's and MLflow's
# error shapes, infer tokens on /v2/models/NAME/infer and /invocations, model control (the
# canary share, the registry hook that swaps versions) for admin only, a token scoped to
# another model refused, no token in the log, and the refusal of a non-loopback address
# without --auth.
source "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)/breast_cancer.csv
cd "$WORK"

"$FERRY" train logistic --data "$DATA" --target target --no-tracking -o lr.oci >train.log 2>&1 ||
  fail "train: $(cat train.log)"
ROW=$(sed -n 2p "$DATA" | cut -d, -f1-30)
COLS=$(head -1 "$DATA" | cut -d, -f1-30 | sed 's/\([^,]*\)/"\1"/g')
OIP="{\"inputs\":[{\"name\":\"input\",\"shape\":[1,30],\"datatype\":\"FP64\",\"data\":[$ROW]}]}"
MLF="{\"dataframe_split\":{\"columns\":[$COLS],\"data\":[[$ROW]]}}"

echo "--- flags: a non-loopback address needs --auth; --auth needs a token file"
set +e
"$FERRY" serve lr.oci --host 0.0.0.0 --port 0 >out 2>err
status=$?
set -e
[[ $status == 2 ]] || fail "serve on 0.0.0.0 without --auth exited $status: $(cat err)"
grep -q "refusing to listen on '0.0.0.0' without authentication" err || fail "$(cat err)"
grep -q -- "--insecure-no-auth" err || fail "the refusal names no way out: $(cat err)"
set +e
"$FERRY" serve lr.oci --auth --port 0 >out 2>err
status=$?
set -e
[[ $status == 2 ]] && grep -q -- "--auth needs --token-file" err || fail "--auth alone: $(cat err)"
printf 'a inferr %s\n' "0123456789abcdef0123" >bad.tokens
set +e
"$FERRY" serve lr.oci --auth --token-file bad.tokens --port 0 >out 2>err
status=$?
set -e
[[ $status == 1 ]] || fail "a malformed token file: exit $status"
grep -q "bad.tokens: token file line 1: scope 'inferr'" err || fail "$(cat err)"
grep -q "0123456789abcdef0123" err && fail "the error shows the secret"

# serve LOG [flags...]: starts `ferry serve lr.oci --name cancer`, sets S and SERVE_PID.
serve() {
  local log=$1
  shift
  : >serve.out
  "$FERRY" serve lr.oci --name cancer --port 0 "$@" >serve.out 2>"$log" &
  SERVE_PID=$!
  ALL_SERVER_PIDS+=("$SERVE_PID")
  for _ in $(seq 1 400); do grep -q "^Serving" serve.out && break; sleep 0.05; done
  grep -q "^Serving cancer" serve.out || fail "serve did not start: $(cat "$log")"
  S="http://127.0.0.1:$(sed -n 's/.*http:\/\/[^:]*:\([0-9]*\).*/\1/p' serve.out)"
}
stop() {
  kill -TERM "$SERVE_PID"
  wait "$SERVE_PID" || fail "serve exited with $? on SIGTERM"
}

echo "--- first start: the token file is created, its tokens shown once"
serve first.log --auth --token-file serve.tokens
ADMIN=$(sed -n 's/^  admin (scope admin): \(ferry_[A-Za-z0-9_-]*\)$/\1/p' first.log)
INFER=$(sed -n 's/^  infer (scope infer): \(ferry_[A-Za-z0-9_-]*\)$/\1/p' first.log)
[[ -n $ADMIN && -n $INFER ]] || fail "no tokens shown: $(cat first.log)"
[[ $(stat -c %a serve.tokens) == 600 ]] || fail "token file mode $(stat -c %a serve.tokens)"
grep -q -e "$ADMIN" -e "$INFER" serve.tokens && fail "the token file holds a plaintext token"
grep -q "^admin admin sha256:[0-9a-f]\{64\}$" serve.tokens || fail "$(cat serve.tokens)"
stop

echo "--- restart with two more tokens: one for another model, one for metrics"
OTHER=other-model-token-0123456789
PROM=prometheus-token-0123456789
printf 'other infer:other %s\nprom metrics sha256:%s\n' "$OTHER" \
  "$(printf %s "$PROM" | sha256sum | cut -d' ' -f1)" >>serve.tokens
serve serve.log --auth --token-file serve.tokens
grep -q "ferry_" serve.log && fail "tokens shown again on restart"

# call METHOD PATH [TOKEN] [BODY]: prints the status; the body in body, headers in headers.
call() {
  local args=(-sS -o body -D headers -w '%{http_code}' -X "$1" -H 'Content-Type: application/json')
  [[ -n ${3:-} ]] && args+=(-H "Authorization: Bearer $3")
  [[ -n ${4:-} ]] && args+=(--data "$4")
  curl "${args[@]}" "$S$2"
}
expect() { # STATUS METHOD PATH [TOKEN] [BODY]
  local want=$1 got
  shift
  got=$(call "$@")
  [[ $got == "$want" ]] || fail "$1 $2 (token ${3:0:8}...): $got, wanted $want: $(cat body)"
}

echo "--- health and readiness are open"
for path in /v2/health/live /v2/health/ready /ping /health; do expect 200 GET "$path"; done

echo "--- no token: 401 with the Bearer challenge, in each protocol's error shape"
expect 401 POST /v2/models/cancer/infer "" "$OIP"
grep -qi '^WWW-Authenticate: Bearer realm="ferry"' headers || fail "no challenge: $(cat headers)"
[[ $(json 'Object.keys(j).join()' <body) == error ]] || fail "not OIP's error shape: $(cat body)"
expect 401 GET /v2/models/cancer
[[ $(json 'Object.keys(j).join()' <body) == error ]] || fail "not OIP's error shape: $(cat body)"
expect 401 POST /invocations "" "$MLF"
grep -qi '^WWW-Authenticate: Bearer realm="ferry"' headers || fail "no challenge: $(cat headers)"
[[ $(json j.error_code <body) == UNAUTHENTICATED ]] || fail "not MLflow's shape: $(cat body)"
expect 401 GET /metrics

echo "--- a wrong token, or Basic credentials: 401"
expect 401 POST /v2/models/cancer/infer "ferry_wrong${INFER:11}" "$OIP"
grep -qi 'error="invalid_token"' headers || fail "no invalid_token: $(cat headers)"
[[ $(curl -sS -o /dev/null -w '%{http_code}' -u admin:"$ADMIN" -XPOST --data "$MLF" \
  -H 'Content-Type: application/json' "$S/invocations") == 401 ]] || fail "Basic accepted"

echo "--- the infer token infers (OIP and MLflow) and reads metadata"
expect 200 POST /v2/models/cancer/infer "$INFER" "$OIP"
[[ $(json 'j.outputs.length > 0' <body) == true ]] || fail "no outputs: $(cat body)"
expect 200 POST /invocations "$INFER" "$MLF"
[[ $(json 'j.predictions.length' <body) == 1 ]] || fail "no predictions: $(cat body)"
expect 200 GET /v2/models/cancer "$INFER"
expect 200 GET /v2 "$INFER"

echo "--- model control needs admin: the infer token gets 403, the admin token passes"
expect 403 POST /api/ferry/v1/hooks/registry "$INFER" '{}'
[[ $(json 'Object.keys(j).join()' <body) == error_code,message ]] || fail "$(cat body)"
expect 403 POST /api/ferry/v1/deployments/cancer/canary "$INFER" '{"percent":50}'
expect 403 POST /api/ferry/v1/hooks/registry "$PROM" '{}'
expect 200 POST /api/ferry/v1/hooks/registry "$ADMIN" '{}'
got=$(call POST /api/ferry/v1/deployments/cancer/canary "$ADMIN" '{"percent":50}')
[[ $got != 401 && $got != 403 ]] || fail "admin refused the canary share: $got"
expect 200 POST /v2/models/cancer/infer "$ADMIN" "$OIP"

echo "--- metrics: the metrics scope (or admin), not infer"
expect 403 GET /metrics "$INFER"
expect 200 GET /metrics "$PROM"
grep -q ferry_inference_requests_total body || fail "no metrics: $(head -5 body)"
expect 403 POST /v2/models/cancer/infer "$PROM" "$OIP"
expect 200 GET /api/ferry/v1/deployments/cancer "$PROM"

echo "--- a token scoped to another model cannot infer on this one"
expect 403 POST /v2/models/cancer/infer "$OTHER" "$OIP"
[[ $(json j.error <body) == "Permission denied: infer on model 'cancer' is required" ]] ||
  fail "$(cat body)"
expect 403 POST /invocations "$OTHER" "$MLF"
curl -sS -o body -w '%{http_code}' -XPOST -H "Authorization: Bearer $OTHER" -H 'Ferry-Model: other' \
  -H 'Content-Type: application/json' --data "$MLF" "$S/invocations" >code
[[ $(cat code) != 403 ]] || fail "naming its own model was refused"
expect 403 GET /v2/models/cancer/ready "$OTHER"

stop
for token in "$ADMIN" "$INFER" "$OTHER" "$PROM"; do
  grep -qF "$token" serve.log && fail "a token is in the server's log"
done
echo "PASS serve_auth"
