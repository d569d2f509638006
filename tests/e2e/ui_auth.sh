#!/usr/bin/env bash
# The web UI against `ferry server --auth` in Chromium: signing in and out, what a user sees
# (tests/ui/auth_test.js), then the account and admin pages on a server whose default is
# NO_PERMISSIONS, so a grant is what shows an experiment (tests/ui/admin_test.js).
source "$(dirname "$0")/lib.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
"$UI_TESTS/install.sh"
export FERRY_ADMIN_PASSWORD=ui-admin-password
# A PNG of each admin page visited, beside ui_browser.sh's (build/ui-screenshots).
export FERRY_UI_SCREENSHOTS=${FERRY_UI_SCREENSHOTS:-$(dirname "$FERRY")/ui-screenshots}
start_server --auth
node "$UI_TESTS/auth_test.js" "$URL" "$FERRY_ADMIN_PASSWORD" || fail "the UI under --auth"
stop_server
start_server_in "$WORK/admin-data" --auth --auth-default-permission NO_PERMISSIONS
node "$UI_TESTS/admin_test.js" "$URL" "$FERRY_ADMIN_PASSWORD" || fail "the account and admin pages"
echo "PASS"
