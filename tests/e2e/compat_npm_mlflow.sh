#!/usr/bin/env bash
# The npm `mlflow` package against a running ferry server.
source "$(dirname "$0")/lib.sh"
COMPAT=$(cd "$(dirname "$0")/../compat" && pwd)
"$COMPAT/install.sh"
start_server
node "$COMPAT/mlflow_npm_test.js" "$URL" || fail "npm mlflow client checks failed"
stop_server

# The same against `ferry server --auth`, with HTTP Basic and with a Bearer token given through
# the package's headers option; without credentials it is refused with 401.
rm -rf "$WORK/data"
FERRY_ADMIN_PASSWORD=npm-admin-password start_server --auth
curl -fsS -u admin:npm-admin-password -H 'Content-Type: application/json' \
  -d '{"username":"npm","password":"npm-password"}' "$URL/api/2.0/mlflow/users/create" >/dev/null ||
  fail "create the npm user"
node "$COMPAT/mlflow_npm_test.js" "$URL" "Basic $(printf npm:npm-password | base64 -w0)" ||
  fail "npm mlflow client with Basic credentials"
token=$(curl -fsS -u npm:npm-password -H 'Content-Type: application/json' -d '{"name":"npm"}' \
  "$URL/api/ferry/v1/tokens" | json 'j.token') || fail "token"
node "$COMPAT/mlflow_npm_test.js" "$URL" "Bearer $token" || fail "npm mlflow client with a token"
if node "$COMPAT/mlflow_npm_test.js" "$URL" 2>"$WORK/anonymous.err"; then
  fail "the npm client worked without credentials"
fi
grep -q '"status":401' "$WORK/anonymous.err" || fail "no 401 without credentials: $(cat "$WORK/anonymous.err")"
stop_server
echo "PASS: npm mlflow client"
