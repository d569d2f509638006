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
[[ $(curl -fsS "$URL/api/ferry/v1/auth/session") == '{"auth":false,"workspaces":true}' ]] ||
  fail "auth/session does not tell the UI about workspaces"
node "$UI_TESTS/workspaces_test.js" "$URL" || fail "the UI's workspaces"
stop_server

# Under --auth, auth/session tells only a signed-in caller that there are workspaces, and the
# switcher shows once signed in.
export FERRY_ADMIN_PASSWORD=ui-admin-password
start_server_in "$WORK/auth-data" --auth --enable-workspaces
[[ $(curl -fsS "$URL/api/ferry/v1/auth/session") == '{"auth":true}' ]] ||
  fail "auth/session told an anonymous caller about workspaces"
curl -fsS -c "$WORK/cookies" -H 'Content-Type: application/json' -H "Origin: $URL" \
  --data "{\"username\":\"admin\",\"password\":\"$FERRY_ADMIN_PASSWORD\"}" \
  "$URL/api/ferry/v1/auth/login" >/dev/null || fail "login"
curl -fsS -b "$WORK/cookies" "$URL/api/ferry/v1/auth/session" | has '"workspaces":true' ||
  fail "auth/session does not tell a signed-in user about workspaces"
node "$UI_TESTS/workspaces_test.js" "$URL" "$FERRY_ADMIN_PASSWORD" || fail "the switcher under --auth"
stop_server
echo "PASS"
