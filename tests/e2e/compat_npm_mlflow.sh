#!/usr/bin/env bash
# The npm `mlflow` package against a running ferry server.
source "$(dirname "$0")/lib.sh"
COMPAT=$(cd "$(dirname "$0")/../compat" && pwd)
"$COMPAT/install.sh"
start_server
node "$COMPAT/mlflow_npm_test.js" "$URL" || fail "npm mlflow client checks failed"
stop_server
echo "PASS: npm mlflow client"
