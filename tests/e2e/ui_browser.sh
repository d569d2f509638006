#!/usr/bin/env bash
# The web UI in a real browser: Debian's chromium driven by puppeteer-core (tests/ui).
source "$(dirname "$0")/lib.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
"$UI_TESTS/install.sh"
start_server
node "$UI_TESTS/pages_test.js" "$URL" || fail "UI pages in Chromium"
echo "PASS"
