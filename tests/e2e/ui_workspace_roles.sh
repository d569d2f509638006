#!/usr/bin/env bash
# The web UI's role page of a workspace against `ferry server --auth --enable-workspaces`
# (tests/ui/workspace_roles_test.js): members added, replaced and removed, the account page's
# role, and the switcher listing only the workspaces a user has a role in. It needs the
# workspace role routes (/api/ferry/v1/workspaces/{ws}/members, my-role).
source "$(dirname "$0")/lib.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
"$UI_TESTS/install.sh"
export FERRY_ADMIN_PASSWORD=ui-admin-password
start_server --auth --enable-workspaces
node "$UI_TESTS/workspace_roles_test.js" "$URL" "$FERRY_ADMIN_PASSWORD" || fail "the workspace role page"
stop_server
echo "PASS"
