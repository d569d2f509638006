#!/usr/bin/env bash
# The web UI at scale in headless Chromium (bench/ui/ui_bench.js): fills a fresh `ferry server`
# with 10,000 runs x 50 columns, a 100,000-point series, 100 runs x 10,000 points, a run with
# 12,000 metric keys, 10,000 experiments and 100,000 more runs (HUGE_RUNS=N to change, 0 to
# skip), then times the pages. Usage:
#   bench/run_ui_bench.sh build/ferry
# MLflow 2.12.2's UI cannot be run here (it ships prebuilt only in the PyPI wheel), so the
# figures stand against issue 14's targets, not against a peer in the same run.
set -euo pipefail
FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/tests/ui/install.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-ui-bench-XXXXXX")
"$FERRY" server --port 0 --quiet --backend-store-uri "sqlite:///$WORK/ferry.db" \
  --artifacts-destination "$WORK/artifacts" >"$WORK/server.out" 2>"$WORK/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/server.out" && break; sleep 0.05; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/server.out" | head -1)
NODE_PATH="$ROOT/tests/ui/node_modules" node "$ROOT/bench/ui/ui_bench.js" "$URL"
