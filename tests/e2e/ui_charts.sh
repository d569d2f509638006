#!/usr/bin/env bash
# The web UI's charts in Chromium (tests/ui/charts_test.js): a running run's live refresh
# (only the new steps, appended; the live toggle), ignore outliers, the tooltip, grouped
# aggregate bands and the compare view's scatter plot, over runs logged through the REST API.
source "$(dirname "$0")/lib.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
"$UI_TESTS/install.sh"
start_server
export FERRY_UI_SCREENSHOTS=${FERRY_UI_SCREENSHOTS:-$(dirname "$FERRY")/ui-screenshots}
node "$UI_TESTS/charts_test.js" "$URL" || fail "UI charts in Chromium"
echo "PASS"
