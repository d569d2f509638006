#!/usr/bin/env bash
# The web UI against `ferry server --enable-workspaces` in Chromium (tests/ui/workspaces_test.js):
# the header's switcher, `ws=` in the URL across links, reload, back and localStorage, each
# workspace's runs under the same experiment name, the fallback to `default` with its notice,
# and the workspaces page (create with the server's validation error, edit, delete refused
# while a workspace holds experiments).
source "$(dirname "$0")/lib.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
"$UI_TESTS/install.sh"
# A PNG of each page visited, beside ui_browser.sh's (build/ui-screenshots).
export FERRY_UI_SCREENSHOTS=${FERRY_UI_SCREENSHOTS:-$(dirname "$FERRY")/ui-screenshots}
start_server --enable-workspaces
node "$UI_TESTS/workspaces_test.js" "$URL" || fail "the UI's workspaces"
stop_server
echo "PASS"
