#!/usr/bin/env bash
# The web UI against `ferry server --auth` in Chromium (tests/ui/auth_test.js).
source "$(dirname "$0")/lib.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
"$UI_TESTS/install.sh"
export FERRY_ADMIN_PASSWORD=ui-admin-password
start_server --auth
node "$UI_TESTS/auth_test.js" "$URL" "$FERRY_ADMIN_PASSWORD" || fail "the UI under --auth"
echo "PASS"
