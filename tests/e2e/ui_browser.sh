#!/usr/bin/env bash
# The web UI in a real browser: Debian's chromium driven by puppeteer-core (tests/ui).
source "$(dirname "$0")/lib.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
"$UI_TESTS/install.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)/breast_cancer.csv
start_server
# A `ferry serve` with traffic, for the deployments page.
cd "$WORK"
"$FERRY" train logistic --data "$DATA" --target target --no-tracking -o lr.oci >/dev/null 2>&1 ||
  fail "train"
"$FERRY" serve lr.oci --port 0 --no-access-log --monitor on --monitor-window-rows 5 \
  >serve.out 2>serve.err &
ALL_SERVER_PIDS+=($!)
for _ in $(seq 1 200); do grep -q "^Serving" serve.out && break; sleep 0.05; done
SERVE=$(sed -n 's/.*\(http:\/\/[^ ]*\).*/\1/p' serve.out | head -1)
MODEL=$(awk '/^Serving/ {print $2}' serve.out)
ROW=$(sed -n 2p "$DATA" | cut -d, -f1-30)
for _ in $(seq 1 20); do
  curl -fsS -XPOST -H 'Content-Type: application/json' "$SERVE/v2/models/$MODEL/infer" \
    -d "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,30],\"datatype\":\"FP64\",\"data\":[$ROW]}]}" \
    >/dev/null || fail "inference"
done
# A PNG of each page visited, for CI to collect: $FERRY_UI_SCREENSHOTS, by default
# ui-screenshots beside the binary (build/ui-screenshots).
export FERRY_UI_SCREENSHOTS=${FERRY_UI_SCREENSHOTS:-$(dirname "$FERRY")/ui-screenshots}
node "$UI_TESTS/pages_test.js" "$URL" "$SERVE" || fail "UI pages in Chromium"
echo "PASS"
