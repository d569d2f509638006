#!/usr/bin/env bash
# Runs a command (a test binary) with a throwaway PostgreSQL cluster on loopback:
# FERRY_TEST_PG_URI=postgresql://postgres:PASSWORD@127.0.0.1:PORT/ferry_test is exported for it,
# and FERRY_TEST_PG_DIR (the cluster's directory; its socket is there). Stops the server by
# PID and removes the cluster whatever the command's outcome.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib/postgres.sh"
dir=$(mktemp -d /tmp/ferry-pg-XXXXXX)
trap 'stop_postgres; rm -rf "$dir"' EXIT
start_postgres "$dir"
export FERRY_TEST_PG_URI=$PG_URI FERRY_TEST_PG_DIR=$PG_DIR
"$@"
